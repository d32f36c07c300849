package io.github.filelock.spring.actuate;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LocalHold;
import io.github.filelock.LockWaiter;
import io.github.filelock.spring.FileLockRegistries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * {@code fileLock}: UP when the lock directory exists, is writable and has free space, since then every lock
 * can be taken; DOWN with the reason otherwise. Holds older than {@code filelock.health.max-hold} and waits
 * older than {@code filelock.health.max-wait} are listed in the details but keep the status UP: a long hold is
 * usually a long job doing its work, and a DOWN would make a load balancer or orchestrator restart the very
 * node that is doing it. OUT_OF_SERVICE while the application shuts down and its registries drain. Holds and waits
 * are counted over every registry in use (soft-typed names too); they share one directory. With postgres-typed
 * names, the database is checked by {@code fileLockDatabase} ({@code FileLockDatabaseHealthIndicator}); when no
 * name uses lock files there is no directory to check.
 */
public class FileLockHealthIndicator extends AbstractHealthIndicator {

    private final List<FileLockRegistry> registries;
    private final FileLockHealthProperties properties;

    /** @param registries every registry in use, the application's first (its directory and type are shown) */
    public FileLockHealthIndicator(List<FileLockRegistry> registries, FileLockHealthProperties properties) {
        super("Lock directory check failed");
        this.registries = List.copyOf(registries);
        this.properties = properties;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws IOException {
        FileLockRegistry main = registries.get(0);
        builder.withDetail("type", main.type().id());
        // the directory of the file-typed registries (they share filelock.dir); a database's is fileLockDatabase's
        FileLockRegistry files = registries.stream().filter(FileLockRegistries::hasLockFiles).findFirst().orElse(null);
        if (files == null) {
            builder.up();
        } else if (!directoryUp(builder, files.directory())) {
            return;
        }
        // After the directory check, for every type (a postgres-only application has no directory to check)
        if (registries.stream().anyMatch(FileLockRegistry::isDraining)) {
            builder.outOfService().withDetail("draining", true); // shutting down: send no more work here
        }
        Instant now = Instant.now();
        List<LocalHold> held = registries.stream().flatMap(registry -> registry.diagnostics().localHolds().stream())
                .toList();
        List<LockWaiter> waiters = registries.stream().flatMap(registry -> registry.diagnostics().waiters().stream())
                .toList();
        builder.withDetail("held", held.size()).withDetail("waiting", waiters.size())
                .withDetail("longHolds", longHolds(held, now)).withDetail("oldWaiters", oldWaiters(waiters, now));
    }

    private boolean directoryUp(Health.Builder builder, Path dir) throws IOException {
        builder.withDetail("directory", dir.toString());
        String problem = directoryProblem(dir);
        if (problem != null) {
            builder.down().withDetail("error", problem);
            return false;
        }
        long usable = Files.getFileStore(dir).getUsableSpace();
        builder.withDetail("usableBytes", usable);
        if (usable < properties.getMinFreeBytes()) {
            builder.down().withDetail("error", "Lock directory has " + usable + " usable bytes, below "
                    + properties.getMinFreeBytes() + " (filelock.health.min-free-bytes)");
        } else {
            builder.up();
        }
        return true;
    }

    private static @Nullable String directoryProblem(Path dir) {
        if (!Files.exists(dir)) {
            return "Lock directory does not exist: " + dir;
        }
        if (!Files.isDirectory(dir)) {
            return "Lock directory is not a directory: " + dir;
        }
        if (!Files.isWritable(dir)) {
            return "Lock directory is not writable (read-only file system or permissions): " + dir;
        }
        return null;
    }

    private List<LockReports.Held> longHolds(List<LocalHold> held, Instant now) {
        return held.stream().filter(lock -> olderThan(lock.acquiredAt(), properties.getMaxHold(), now))
                .map(lock -> LockReports.Held.of(lock, lock.name(), now)).toList();
    }

    private List<LockReports.Waiter> oldWaiters(List<LockWaiter> waiters, Instant now) {
        return waiters.stream().filter(waiter -> olderThan(waiter.waitingSince(), properties.getMaxWait(), now))
                .map(waiter -> LockReports.Waiter.of(waiter, now)).toList();
    }

    private static boolean olderThan(Instant since, Duration limit, Instant now) {
        return Duration.between(since, now).compareTo(limit) > 0;
    }
}
