package io.github.filelock.shedlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockMode;
import io.github.filelock.LockType;
import io.github.filelock.internal.TestHooks;
import io.github.filelock.test.ChildJvm;
import io.github.filelock.test.FileLockAssert;
import io.github.filelock.test.FileLockExtension;
import io.github.filelock.test.FlockCommand;
import io.github.filelock.test.HeldByOtherProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockAssert;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockExtender;
import net.javacrumbs.shedlock.core.LockingTaskExecutor.TaskResult;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ShedLock's LockProvider contract on real file locks, with a second JVM and flock(1) as the other instances. */
class FileLockProviderTest {

    private static final Duration START = Duration.ofSeconds(60);

    @RegisterExtension
    final FileLockExtension locks = new FileLockExtension();

    private FileLockRegistry registry;
    private FileLockProvider provider;

    @BeforeEach
    void provider(FileLockRegistry registry) {
        this.registry = registry;
        this.provider = new FileLockProvider(registry);
    }

    @AfterEach
    void closeProvider() {
        provider.close();
    }

    private static LockConfiguration config(String name, Duration atMost, Duration atLeast) {
        return new LockConfiguration(Instant.now(), name, atMost, atLeast);
    }

    private Path file(String name) {
        return registry.diagnostics().lockFile(name);
    }

    @Test
    void excludesUntilUnlockedAndUnlockReleases() {
        LockConfiguration config = config("report", Duration.ofMinutes(1), Duration.ZERO);
        SimpleLock lock = provider.lock(config).orElseThrow();
        assertThat(provider.lock(config)).as("second attempt, same JVM and thread").isEmpty();
        assertThat(FlockCommand.canLock(file("report"))).as("flock -n while locked").isFalse();

        lock.unlock();
        assertThat(FlockCommand.canLock(file("report"))).as("flock -n after unlock").isTrue();
        assertThatThrownBy(lock::unlock).isInstanceOf(IllegalStateException.class);
        provider.lock(config).orElseThrow().unlock();
    }

    @Test
    @HeldByOtherProcess("report")
    void aLockHeldByAnotherProcessIsEmptyAtOnceWithoutBuildingATimeoutException() {
        AtomicInteger timeoutExceptions = new AtomicInteger();
        TestHooks.install((point, subject) -> {
            if (point.equals("LockEngine.timeoutException")) {
                timeoutExceptions.incrementAndGet(); // a holder lookup and a stack trace per skipped run
            }
        });
        try {
            long start = System.nanoTime();
            assertThat(provider.lock(config("report", Duration.ofMinutes(1), Duration.ZERO))).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("one non-blocking try")
                    .isLessThan(Duration.ofSeconds(1));
            assertThat(timeoutExceptions).as("timeout exceptions built for a skip").hasValue(0);
        } finally {
            TestHooks.install(null);
        }
    }

    @Test
    void skipsWhenLockedAcrossTwoJvms() throws Throwable {
        DefaultLockingTaskExecutor executor = new DefaultLockingTaskExecutor(provider);
        try (ChildJvm other = ChildJvm.start(ShedLockTaskChild.class, locks.directory(), "report")) {
            other.awaitLine(START, "READY");

            // the other JVM runs the task: this one skips it
            other.send("run");
            other.awaitLine(START, "RUNNING");
            AtomicBoolean ranHere = new AtomicBoolean();
            TaskResult<Object> skipped = executor.executeWithLock(() -> ranHere.getAndSet(true),
                    config("report", Duration.ofMinutes(1), Duration.ZERO));
            assertThat(skipped.wasExecuted()).isFalse();
            assertThat(ranHere).isFalse();
            other.send("finish");
            assertThat(other.awaitLine(START, "EXECUTED", "SKIPPED")).isEqualTo("EXECUTED");

            // this JVM runs it: the other one skips
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch finish = new CountDownLatch(1);
            CompletableFuture<Boolean> here = CompletableFuture.supplyAsync(() -> {
                try {
                    return executor.executeWithLock(() -> {
                        LockAssert.assertLocked();
                        FileLockAssert.assertHeldByThisProcess(registry, "report");
                        running.countDown();
                        return finish.await(60, TimeUnit.SECONDS);
                    }, config("report", Duration.ofMinutes(1), Duration.ZERO)).wasExecuted();
                } catch (Throwable e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(running.await(60, TimeUnit.SECONDS)).isTrue();
            other.send("run");
            assertThat(other.awaitLine(START, "EXECUTED", "SKIPPED", "RUNNING")).isEqualTo("SKIPPED");
            finish.countDown();
            assertThat(here.get(60, TimeUnit.SECONDS)).isTrue();

            // and once nobody runs it, the other JVM gets it again
            other.send("run");
            assertThat(other.awaitLine(START, "RUNNING", "SKIPPED")).isEqualTo("RUNNING");
            other.send("finish");
            assertThat(other.awaitLine(START, "EXECUTED", "SKIPPED")).isEqualTo("EXECUTED");
        }
    }

    @Test
    void lockAtLeastForKeepsTheLockAfterAnEarlyUnlockWithoutDelayingIt() {
        Duration atLeast = Duration.ofMillis(3000); // room for the checks below on a loaded machine
        LockConfiguration config = config("report", Duration.ofMinutes(1), atLeast);
        SimpleLock lock = provider.lock(config).orElseThrow();

        long unlockStart = System.nanoTime();
        lock.unlock();
        assertThat(Duration.ofNanos(System.nanoTime() - unlockStart)).as("unlock returns at once")
                .isLessThan(Duration.ofMillis(500));

        assertThat(FlockCommand.canLock(file("report"))).as("flock -n right after unlock").isFalse();
        assertThat(provider.lock(config)).as("second try right after unlock").isEmpty();
        assertThat(Instant.now()).as("the checks above ran well before lockAtLeastUntil, so they prove something")
                .isBefore(config.getLockAtLeastUntil().minusMillis(500));

        Optional<SimpleLock> next = Optional.empty();
        while (next.isEmpty() && Instant.now().isBefore(config.getLockAtLeastUntil().plusSeconds(5))) {
            next = provider.lock(config("report", Duration.ofMinutes(1), Duration.ZERO));
            pause(); // polling: the release time is the contract under test
        }
        Instant freed = Instant.now();
        assertThat(next).as("free again after lockAtLeastFor").isPresent();
        assertThat(freed).as("not before lockAtLeastUntil")
                .isAfterOrEqualTo(config.getLockAtLeastUntil().minusMillis(2));
        assertThat(freed).as("released on time").isBefore(config.getLockAtLeastUntil().plusMillis(1500));
        next.get().unlock();
        assertThat(FlockCommand.canLock(file("report"))).isTrue();
    }

    @Test
    void aTaskOverrunningLockAtMostForIsReportedAndKeepsItsLock() throws Exception {
        try (CapturedWarnings warnings = new CapturedWarnings()) {
            SimpleLock quick = provider.lock(config("quick", Duration.ofMillis(300), Duration.ZERO)).orElseThrow();
            quick.unlock();
            SimpleLock slow = provider.lock(config("slow", Duration.ofMillis(300), Duration.ZERO)).orElseThrow();

            LogRecord warning = warnings.await(Duration.ofSeconds(10));
            assertThat(warning.getLevel()).isEqualTo(Level.WARNING);
            assertThat(warning.getMessage()).contains("'slow'").contains("lockAtMostFor (PT0.3S)")
                    .contains("stays held");
            assertThat(FlockCommand.canLock(file("slow"))).as("still held after lockAtMostFor").isFalse();
            slow.unlock();
            assertThat(FlockCommand.canLock(file("slow"))).isTrue();
            assertThat(warnings.count()).as("one warning, none for the task that finished in time").isEqualTo(1);
        }
    }

    @Test
    void extendingKeepsTheHoldAndRestartsLockAtLeastFor() throws Throwable {
        DefaultLockingTaskExecutor executor = new DefaultLockingTaskExecutor(provider);
        Instant[] extendedAt = new Instant[1];
        executor.executeWithLock((Runnable) () -> {
            extendedAt[0] = Instant.now();
            LockExtender.extendActiveLock(Duration.ofMinutes(1), Duration.ofMillis(1500));
        }, config("report", Duration.ofMinutes(1), Duration.ZERO));

        assertThat(FlockCommand.canLock(file("report"))).as("held for the extended lockAtLeastFor").isFalse();
        Optional<SimpleLock> next = Optional.empty();
        while (next.isEmpty() && Instant.now().isBefore(extendedAt[0].plusSeconds(6))) {
            next = provider.lock(config("report", Duration.ofMinutes(1), Duration.ZERO));
            pause();
        }
        assertThat(next).isPresent();
        assertThat(Instant.now()).isAfterOrEqualTo(extendedAt[0].plusMillis(1500).minusMillis(2));
        next.get().unlock();
    }

    @Test
    void anExtendedLockCanNoLongerBeUnlocked() {
        SimpleLock first = provider.lock(config("report", Duration.ofMinutes(1), Duration.ZERO)).orElseThrow();
        SimpleLock second = first.extend(Duration.ofMinutes(2), Duration.ZERO).orElseThrow();
        assertThatThrownBy(first::unlock).isInstanceOf(IllegalStateException.class);
        assertThat(FlockCommand.canLock(file("report"))).isFalse();
        second.unlock();
        assertThat(FlockCommand.canLock(file("report"))).isTrue();
    }

    // A soft-lease marker removed from the directory (as a contender on another host breaks an expired one) is a
    // lock lost while its task runs: ShedLock's LockExtender must be told no, not handed the lost hold again. The
    // lock is built as the provider builds it, so that the test can wait for the loss on the hold itself.
    @Test
    void aLockWhoseLeaseWasLostCannotBeExtended() throws Exception {
        LockTimers timers = new LockTimers();
        try (FileLockRegistry leases = FileLockRegistry.builder(registry.directory().resolve("leases"))
                .type(LockType.SOFT_LEASE).softLease(Duration.ofSeconds(2)).softHeartbeat(Duration.ofMillis(200))
                .build()) {
            FileLockHold hold = leases.tryAcquireAsync("report", LockMode.EXCLUSIVE, Duration.ZERO).get()
                    .orElseThrow();
            CountDownLatch lost = new CountDownLatch(1);
            hold.whenLost(lost::countDown);
            SimpleLock lock = new FileSimpleLock(hold, config("report", Duration.ofMinutes(1), Duration.ZERO), timers);
            Files.delete(hold.file());
            assertThat(lost.await(20, TimeUnit.SECONDS)).as("the heartbeat found the loss").isTrue();
            assertThat(lock.extend(Duration.ofMinutes(1), Duration.ZERO)).isEmpty();
            hold.close();
        } finally {
            timers.close();
        }
    }

    @Test
    void closingTheProviderReleasesHoldsKeptOnlyForLockAtLeastForAndSkipsNewLocks() {
        provider.lock(config("report", Duration.ofMinutes(10), Duration.ofMinutes(5))).orElseThrow().unlock();
        assertThat(FlockCommand.canLock(file("report"))).isFalse();
        provider.close();
        assertThat(FlockCommand.canLock(file("report"))).as("released at close").isTrue();
        assertThat(provider.lock(config("report", Duration.ofMinutes(1), Duration.ZERO))).isEmpty();
        FileLockAssert.assertFree(registry, "report");
    }

    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void aMissingRegistryIsAClearError() {
        assertThatThrownBy(() -> new FileLockProvider(null)).hasMessageContaining("FileLockRegistry");
    }

    /** WARN records of the provider's logger (System.Logger goes to java.util.logging without a bridge). */
    private static final class CapturedWarnings extends Handler implements AutoCloseable {

        private final Logger logger = Logger.getLogger("io.github.filelock.shedlock");
        private final java.util.concurrent.BlockingQueue<LogRecord> records =
                new java.util.concurrent.LinkedBlockingQueue<>();
        private final java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();

        CapturedWarnings() {
            logger.addHandler(this);
        }

        LogRecord await(Duration timeout) throws InterruptedException {
            LogRecord record = records.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(record).as("a WARN within " + timeout).isNotNull();
            return record;
        }

        int count() {
            return count.get();
        }

        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                count.incrementAndGet();
                records.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }
}
