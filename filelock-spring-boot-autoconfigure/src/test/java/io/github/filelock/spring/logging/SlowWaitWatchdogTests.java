package io.github.filelock.spring.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.FileLockTimeoutException;
import io.github.filelock.LockType;
import io.github.filelock.LockWaiter;
import io.github.filelock.spring.support.HeldByAnotherThread;
import io.github.filelock.spring.support.LockHoldingChild;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A wait past filelock.log.slow-wait logs one WARN under io.github.filelock naming the holder, while the wait
 * still goes on. (System.Logger reaches java.util.logging here; in a Boot app JUL is bridged to SLF4J.)
 */
class SlowWaitWatchdogTests {

    @TempDir
    Path tmp;

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger jul = Logger.getLogger("io.github.filelock");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void capture() {
        jul.addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        jul.removeHandler(capture);
    }

    @Test
    void warnsOncePerSlowWaitNamingTheHolderOfThisJvm() throws Exception {
        try (FileLockRegistry registry = FileLockRegistry.builder(tmp).build();
                SlowWaitWatchdog watchdog = new SlowWaitWatchdog(List.of(registry), Duration.ofMillis(100));
                HeldByAnotherThread holder = new HeldByAnotherThread(registry, "nightly")) {
            registry.acquire("nightly", Duration.ofMillis(700)).close();
        } catch (FileLockTimeoutException expected) {
            // waited 700 ms, 7 thresholds, for a lock that stayed held
        }
        List<String> warnings = warnings();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("lock 'nightly'", "thread holder-of-nightly",
                "pid " + ProcessHandle.current().pid(), "HELD_BY_THIS_PROCESS");
    }

    @Test
    void namesAHolderInAnotherProcessByPid() throws Exception {
        try (LockHoldingChild child = LockHoldingChild.start(tmp, "import");
                FileLockRegistry registry = FileLockRegistry.builder(tmp).build();
                SlowWaitWatchdog watchdog = new SlowWaitWatchdog(List.of(registry), Duration.ofMillis(100))) {
            try {
                registry.acquire("import", Duration.ofMillis(500)).close();
            } catch (FileLockTimeoutException expected) {
                // the child keeps it
            }
            List<String> warnings = warnings();
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0)).contains("lock 'import'", "pid " + child.pid(), "HELD_BY_OTHER_PROCESS");
        }
    }

    /**
     * The watchdog's own timer never fires here (the threshold is an hour); the test drives {@code check} with
     * chosen clock readings instead, so "quick" and "slow" do not depend on how loaded the machine is.
     */
    @Test
    void aContendedWaitBelowTheThresholdLogsNothingAndTheSameWaitPastItLogsOnce() throws Exception {
        Duration threshold = Duration.ofHours(1);
        try (FileLockRegistry registry = FileLockRegistry.builder(tmp).build();
                SlowWaitWatchdog watchdog = new SlowWaitWatchdog(List.of(registry), threshold)) {
            // A quick contended wait: it ends (the holder lets go) before anyone looks past the threshold.
            try (HeldByAnotherThread holder = new HeldByAnotherThread(registry, "quick")) {
                CompletableFuture<Void> waiter = waitFor(registry, "quick");
                LockWaiter wait = awaitWaiter(registry);
                watchdog.check(wait.waitingSince().plus(threshold).minusMillis(1));
                assertThat(warnings()).as("a wait one ms short of the threshold").isEmpty();
                holder.close();
                waiter.get(30, TimeUnit.SECONDS);
            }
            watchdog.check(Instant.now().plus(threshold.multipliedBy(2)));
            assertThat(warnings()).as("after the quick wait ended").isEmpty();

            // The same setup, looked at once the threshold has passed: one WARN, and only one.
            try (HeldByAnotherThread holder = new HeldByAnotherThread(registry, "quick")) {
                CompletableFuture<Void> waiter = waitFor(registry, "quick");
                LockWaiter wait = awaitWaiter(registry);
                watchdog.check(wait.waitingSince().plus(threshold));
                watchdog.check(wait.waitingSince().plus(threshold).plusSeconds(1));
                holder.close();
                waiter.get(30, TimeUnit.SECONDS);
            }
            assertThat(warnings()).hasSize(1);
            assertThat(warnings().get(0)).contains("lock 'quick'", "thread holder-of-quick");
        }
    }

    @Test
    void watchesTheWaitersOfEveryRegistryItIsGiven() throws Exception {
        Duration threshold = Duration.ofHours(1);
        try (FileLockRegistry flock = FileLockRegistry.builder(tmp).build();
                FileLockRegistry soft = FileLockRegistry.builder(tmp).type(LockType.SOFT).build();
                SlowWaitWatchdog watchdog = new SlowWaitWatchdog(List.of(flock, soft), threshold);
                HeldByAnotherThread holder = new HeldByAnotherThread(soft, "remote")) {
            CompletableFuture<Void> waiter = waitFor(soft, "remote");
            LockWaiter wait = awaitWaiter(soft);
            watchdog.check(wait.waitingSince().plus(threshold));
            holder.close();
            waiter.get(30, TimeUnit.SECONDS);
        }
        assertThat(warnings()).hasSize(1);
        assertThat(warnings().get(0)).contains("lock 'remote'");
    }

    private static CompletableFuture<Void> waitFor(FileLockRegistry registry, String name) {
        return CompletableFuture.runAsync(() -> registry.acquire(name, Duration.ofSeconds(30)).close());
    }

    private static LockWaiter awaitWaiter(FileLockRegistry registry) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (registry.diagnostics().waiters().isEmpty()) {
            assertThat(System.nanoTime()).as("a waiter registered").isLessThan(deadline);
            Thread.sleep(5);
        }
        return registry.diagnostics().waiters().get(0);
    }

    private List<String> warnings() {
        return records.stream().filter(r -> r.getLevel() == java.util.logging.Level.WARNING)
                .map(LogRecord::getMessage).toList();
    }
}
