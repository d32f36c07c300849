package io.github.filelock.spring.logging;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockHolder;
import io.github.filelock.LockStatus;
import io.github.filelock.LockWaiter;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Logs a WARN naming the holder when a wait for a lock passes the threshold, once per wait. It looks at the
 * registry's waiter list from one daemon thread a few times per threshold, instead of arming a timer per
 * call, so uncontended calls pay nothing; the holder is named while the wait is still going on, which is
 * when an operator wants to know it. It watches every registry in use (soft-typed names too).
 */
public final class SlowWaitWatchdog implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("io.github.filelock");

    private final List<FileLockRegistry> registries;
    private final Duration threshold;
    private final @Nullable ScheduledExecutorService timer;
    private final Set<LockWaiter> warned = new HashSet<>();

    public SlowWaitWatchdog(List<FileLockRegistry> registries, Duration threshold) {
        this.registries = List.copyOf(registries);
        this.threshold = threshold;
        if (threshold.isZero() || threshold.isNegative()) {
            this.timer = null; // turned off
            return;
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "filelock-slow-wait");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.min(1000, Math.max(20, threshold.toMillis() / 4));
        timer.scheduleWithFixedDelay(this::checkQuietly, period, period, TimeUnit.MILLISECONDS);
    }

    private void checkQuietly() {
        try {
            check(Instant.now());
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "Slow-wait check failed", e);
        }
    }

    /** Warns about each waiter older than the threshold that was not warned about yet. */
    void check(Instant now) {
        Set<LockWaiter> current = new HashSet<>();
        for (FileLockRegistry registry : registries) {
            for (LockWaiter waiter : registry.diagnostics().waiters()) {
                current.add(waiter);
                Duration waited = Duration.between(waiter.waitingSince(), now);
                if (waited.compareTo(threshold) >= 0 && !warned.contains(waiter)) {
                    warned.add(waiter);
                    LOG.log(Level.WARNING, "Thread " + waiter.thread() + " has waited " + waited.toMillis()
                            + " ms for lock '" + waiter.name() + "' (" + waiter.mode() + "): "
                            + holderOf(registry, waiter.name()));
                }
            }
        }
        warned.retainAll(current); // waits that ended are forgotten; a new wait is a new record
    }

    private static String holderOf(FileLockRegistry registry, String name) {
        LockStatus status = registry.diagnostics().inspect(name);
        if (!status.isHeld()) {
            return "its holder has just released it";
        }
        String who = status.holder().map(LockHolder::describe)
                .orElseGet(() -> status.kernelPid().isPresent() ? "pid " + status.kernelPid().get()
                        + " (wrote no holder record)" : "a holder that wrote no record");
        return "held by " + who + " (" + status.state() + ", " + status.file() + ")";
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
