package io.github.filelock.spring.lifecycle;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LocalHold;
import java.time.Duration;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Drains the lock registries when the context closes: new lock requests end at once as timeouts ({@code onTimeout}
 * decides: FAIL throws, SKIP skips), the waiting ones are woken to end the same way, locks kept only for their
 * minimum hold time are let go, and the running holders get up to {@code spring.lifecycle.timeout-per-shutdown-phase}
 * to finish.
 *
 * <p>Phase {@link #PHASE}: after the web server's graceful shutdown, before the web server stops. Spring stops higher
 * phases first. Boot's {@code WebServerGracefulShutdownLifecycle} ({@code Integer.MAX_VALUE - 1024}) lets in-flight
 * requests finish normally, and they may need a lock; draining before it would fail them. Boot's
 * {@code WebServerStartStopLifecycle} ({@code Integer.MAX_VALUE - 2048}) then stops the server. Scheduled tasks
 * (Spring's task scheduler, {@code Integer.MAX_VALUE}) stop triggering before either.
 */
public final class FileLockGracefulShutdown implements SmartLifecycle {

    /**
     * Half-way between Boot's graceful-shutdown phase ({@code MAX_VALUE - 1024}) and web-server stop ({@code - 2048}).
     */
    public static final int PHASE = Integer.MAX_VALUE - 1024 - 512;

    private static final Log log = LogFactory.getLog(FileLockGracefulShutdown.class);

    private final List<FileLockRegistry> registries;
    private final Duration timeout;
    private volatile boolean running;

    /**
     * @param registries every registry whose holds the shutdown waits for
     * @param timeout how long the holds may run on: {@code spring.lifecycle.timeout-per-shutdown-phase}
     */
    public FileLockGracefulShutdown(List<FileLockRegistry> registries, Duration timeout) {
        this.registries = List.copyOf(registries);
        this.timeout = timeout;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        stop(() -> { });
    }

    /** Drains at once, then waits for the holders on a thread of its own so that other beans of the phase stop too. */
    @Override
    public void stop(Runnable callback) {
        running = false;
        long start = System.nanoTime();
        int waiters = registries.stream().mapToInt(registry -> registry.diagnostics().waiters().size()).sum();
        registries.forEach(FileLockRegistry::drain);
        if (allReleased()) {
            log.debug("Lock registries drained; no lock was held");
            callback.run();
            return;
        }
        log.info("Draining locks for shutdown: " + waiters + " waiting request(s) ended; waiting up to "
                + timeout.toSeconds() + "s for the holders to finish: " + describe(held()));
        Thread awaiting = new Thread(() -> {
            try {
                awaitHolders(start);
            } finally {
                callback.run();
            }
        }, "filelock-drain");
        awaiting.setDaemon(true);
        awaiting.start();
    }

    private void awaitHolders(long start) {
        long deadline = start + timeout.toNanos();
        try {
            for (FileLockRegistry registry : registries) {
                registry.awaitReleased(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        if (allReleased()) {
            log.info("Every lock was released " + millis + " ms after shutdown began");
        } else {
            log.warn("Shutting down with " + describe(held()) + " still held after " + millis + " ms"
                    + " (spring.lifecycle.timeout-per-shutdown-phase=" + timeout.toSeconds() + "s): each is released"
                    + " when its work ends, or by the system when the process exits");
        }
    }

    private boolean allReleased() {
        try {
            for (FileLockRegistry registry : registries) {
                if (!registry.awaitReleased(Duration.ZERO)) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    // For the log only: the locks this JVM holds in the registries' directories (other registries' too).
    private List<LocalHold> held() {
        return registries.stream().flatMap(registry -> registry.diagnostics().localHolds().stream())
                .distinct().toList();
    }

    private static String describe(List<LocalHold> held) {
        return held.size() + " held lock(s) " + held.stream().map(lock -> "'" + lock.name() + "' (thread "
                + lock.thread() + ")").limit(10).toList();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
