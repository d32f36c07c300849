package io.github.filelock.shedlock;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockMode;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import net.javacrumbs.shedlock.core.ExtensibleLockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;

/**
 * A ShedLock {@code LockProvider} on a {@link FileLockRegistry}: {@code @SchedulerLock(name = "report")} takes
 * the file lock {@code report} in the registry's directory, so it also excludes {@code @FileLocked(name =
 * "report")}, {@code flock(1)} and Python filelock on that file.
 *
 * <ul>
 *   <li>{@code lock} makes one non-blocking attempt; a busy lock (in this JVM or another process) is empty,
 *       which ShedLock turns into a skip.</li>
 *   <li>{@code lockAtLeastFor}: after an early {@code unlock} the lock stays held until {@code createdAt +
 *       lockAtLeastFor} and is then released by a daemon thread; {@code unlock} returns at once.</li>
 *   <li>{@code lockAtMostFor} is not needed for crash safety: the kernel frees the lock of a dead process. The
 *       lock is never taken away from a running task; a task still holding it after {@code lockAtMostFor} is
 *       logged once at WARN (logger {@code io.github.filelock.shedlock}).</li>
 *   <li>{@code extend} (ShedLock's {@code LockExtender}) keeps the same hold and restarts both durations from
 *       now. It fails (empty) only when the lock was lost ({@link FileLockHold#isValid()}), which a lease type
 *       (soft-lease, redis) or a database session can be; a kernel lock never is.</li>
 * </ul>
 *
 * <p>The holds belong to no thread, so ShedLock may unlock on another thread than the one that locked. Close
 * the provider at shutdown (a Spring {@code @Bean} is closed automatically): holds kept only for
 * {@code lockAtLeastFor} are then released at once, and later {@code lock} calls return empty.
 */
public final class FileLockProvider implements ExtensibleLockProvider, AutoCloseable {

    private final FileLockRegistry registry;
    private final Function<String, FileLockRegistry> registryFor;
    private final LockTimers timers = new LockTimers();

    public FileLockProvider(FileLockRegistry registry) {
        this(registry, name -> registry);
    }

    /**
     * A provider that locks each name where {@code registryFor} says, such as the registry of a name's own type
     * ({@code filelock.locks.<name>.type}): a name must be locked with one type everywhere, as the types do not
     * exclude each other.
     *
     * @param registry the registry of the names without one of their own
     * @param registryFor the registry of a lock name
     */
    public FileLockProvider(FileLockRegistry registry, Function<String, FileLockRegistry> registryFor) {
        this.registry = Objects.requireNonNull(registry,
                "registry must not be null: pass the FileLockRegistry bean, or FileLockRegistry.builder(dir).build()");
        this.registryFor = Objects.requireNonNull(registryFor, "registryFor must not be null");
    }

    @Override
    public Optional<SimpleLock> lock(LockConfiguration configuration) {
        Objects.requireNonNull(configuration, "lock configuration must not be null");
        if (timers.isClosed()) {
            return Optional.empty(); // shutting down: skip, as if another instance ran it
        }
        return tryHold(configuration.getName()).map(hold -> new FileSimpleLock(hold, configuration, timers));
    }

    // A detached hold, because ShedLock may unlock on another thread, and the timers release it on theirs. A busy
    // lock is a plain failed try: no holder lookup and no exception for every skipped run.
    private Optional<FileLockHold> tryHold(String name) {
        CompletableFuture<Optional<FileLockHold>> attempt = registryFor.apply(name).tryAcquireAsync(name,
                LockMode.EXCLUSIVE, Duration.ZERO);
        try {
            return attempt.get(); // a zero timeout completes before tryAcquireAsync returns
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new CompletionException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The registry whose locks this provider takes, for the names without a registry of their own. */
    public FileLockRegistry registry() {
        return registry;
    }

    /** Releases the holds kept only for {@code lockAtLeastFor}, and makes later {@code lock} calls skip. */
    @Override
    public void close() {
        timers.close();
    }
}
