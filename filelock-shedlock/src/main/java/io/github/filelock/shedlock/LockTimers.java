package io.github.filelock.shedlock;

import io.github.filelock.FileLockHold;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;

/**
 * The two timed jobs of a provider, on one daemon thread: releasing a hold when its {@code lockAtLeastFor} has
 * passed, and warning about a task that still holds its lock after {@code lockAtMostFor}.
 */
final class LockTimers implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("io.github.filelock.shedlock");

    private final ScheduledThreadPoolExecutor scheduler;
    private final Set<FileLockHold> keptForLockAtLeastFor = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    LockTimers() {
        scheduler = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "filelock-shedlock-timer");
            thread.setDaemon(true); // a pending release must not keep the JVM alive: exit frees the lock anyway
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true); // most warnings are cancelled: do not keep them queued
    }

    boolean isClosed() {
        return closed;
    }

    /** Releases {@code hold} now, or at {@code until} if that is later, without making the caller wait. */
    void releaseAt(FileLockHold hold, Instant until) {
        long delayMillis = Duration.between(ClockProvider.now(), until).toMillis();
        if (delayMillis <= 0 || closed) {
            hold.close();
            return;
        }
        keptForLockAtLeastFor.add(hold);
        try {
            scheduler.schedule(() -> release(hold), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            release(hold); // closed meanwhile: release now, as close() does
        }
    }

    private void release(FileLockHold hold) {
        if (keptForLockAtLeastFor.remove(hold)) {
            hold.close();
        }
    }

    /** Logs once at WARN if {@code hold} is still open at the configuration's {@code lockAtMostUntil}. */
    Future<?> warnIfStillHeld(FileLockHold hold, LockConfiguration configuration) {
        long delayMillis = Duration.between(ClockProvider.now(), configuration.getLockAtMostUntil()).toMillis();
        try {
            return scheduler.schedule(() -> {
                if (hold.isOpen() && !keptForLockAtLeastFor.contains(hold)) {
                    LOG.log(Level.WARNING, () -> "ShedLock lock '" + configuration.getName() + "' is still held by"
                            + " its task after lockAtMostFor (" + configuration.getLockAtMostFor() + "). It stays"
                            + " held: its lock ends with its holder (the kernel, the database session or the soft"
                            + " type's own rules free a dead holder's lock), so it needs no expiry of ShedLock's,"
                            + " and releasing it under a running task would let another instance run the task at"
                            + " the same time. Raise lockAtMostFor if the task may run this long.");
                }
            }, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(null); // closed: nobody is left to warn
        }
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        for (FileLockHold hold : keptForLockAtLeastFor) {
            release(hold);
        }
    }
}
