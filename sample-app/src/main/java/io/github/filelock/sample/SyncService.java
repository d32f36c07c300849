package io.github.filelock.sample;

import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.OnTimeout;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * A periodic sync that every instance schedules but only one should run per round: one attempt at the lock
 * ({@code timeout = "0"}), and if another instance has it, skip this round ({@code onTimeout = SKIP}). The lock is
 * kept for at least 10 s after the run starts ({@code holdAtLeast}), so an instance whose trigger fires a little
 * later (clock skew, a GC pause, a slow start) still finds it held, even when the sync itself takes 1 s.
 */
@Service
public class SyncService {

    private static final Log log = LogFactory.getLog(SyncService.class);

    private final Instance instance;
    private final SampleProperties properties;
    private final AtomicInteger runs = new AtomicInteger();
    private final AtomicInteger skips = new AtomicInteger();
    private final AtomicReference<Instant> lastRun = new AtomicReference<>();

    public SyncService(Instance instance, SampleProperties properties) {
        this.instance = instance;
        this.properties = properties;
    }

    /** What this instance did so far. */
    public record Status(String instance, int runs, int skips, Instant lastRun) {
    }

    @FileLocked(name = "periodic-sync", timeout = "0", onTimeout = OnTimeout.SKIP,
            holdAtLeast = "${sample.sync-hold-at-least}")
    public Optional<Instant> syncOnce() {
        Work.simulate(properties.reindexTime());
        Instant now = Instant.now();
        lastRun.set(now);
        runs.incrementAndGet();
        return Optional.of(now);
    }

    public Status status() {
        return new Status(instance.describe(), runs.get(), skips.get(), lastRun.get());
    }

    public void recordSkip() {
        skips.incrementAndGet();
    }

    /** Calls {@link #syncOnce()} on the proxy, so the scheduler's call takes the lock too. */
    @org.springframework.stereotype.Component
    static class Scheduler {

        private final SyncService sync;
        private final Instance instance;

        Scheduler(SyncService sync, Instance instance) {
            this.sync = sync;
            this.instance = instance;
        }

        /** Wall-clock cron: every instance fires in the same second, and the lock lets one of them run. */
        @Scheduled(cron = "${sample.sync-cron}")
        void run() {
            Optional<Instant> ran = sync.syncOnce();
            if (ran.isPresent()) {
                log.info("periodic sync ran on " + instance.describe());
            } else {
                sync.recordSkip();
                log.info("periodic sync skipped on " + instance.describe() + ": another instance holds the lock");
            }
        }
    }
}
