package io.github.filelock.spring.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockInterruptedException;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.FileLockTimeoutException;
import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.OnTimeout;
import io.github.filelock.spring.support.LockHoldingChild;
import io.github.filelock.spring.support.Runners;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The meters, through Boot's own metrics auto-configuration and its SimpleMeterRegistry, with real locks held by real
 * processes.
 */
class FileLockMetricsTests {

    @TempDir
    Path tmp;

    private ApplicationContextRunner runner() {
        return Runners.withLockDir(tmp.resolve("locks"))
                .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                        FileLockMetricsAutoConfiguration.class))
                .withUserConfiguration(JobsBean.class);
    }

    @Test
    void countsEveryWaitAndHoldOutcomeExactly() {
        runner().run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            FileLockRegistry locks = context.getBean(FileLockRegistry.class);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters).isInstanceOf(SimpleMeterRegistry.class);

            for (int i = 0; i < 3; i++) {
                jobs.run();
            }
            assertThatRuntimeException().isThrownBy(jobs::fail).withMessage("boom");
            try (LockHoldingChild other = LockHoldingChild.start(locks.directory(), "job")) {
                assertThat(jobs.skip()).isNull();
                assertThat(jobs.skip()).isNull();
                assertThatExceptionOfType(FileLockTimeoutException.class).isThrownBy(jobs::once);
                interruptWhileWaiting(jobs, locks, meters);
            }
            try (FileLockHold shared = locks.acquireShared("job", Duration.ofSeconds(5))) {
                // Asking for EXCLUSIVE while holding SHARED is refused: an error while taking the lock.
                assertThatIllegalStateException().isThrownBy(jobs::run);
            }

            assertThat(waitCount(meters, "job", "acquired")).isEqualTo(4);
            assertThat(waitCount(meters, "job", "skipped")).isEqualTo(2);
            assertThat(waitCount(meters, "job", "timeout")).isEqualTo(1);
            assertThat(waitCount(meters, "job", "interrupted")).isEqualTo(1);
            assertThat(waitCount(meters, "job", "error")).isEqualTo(1);
            assertThat(holdCount(meters, "job", "success")).isEqualTo(3);
            assertThat(holdCount(meters, "job", "error")).isEqualTo(1);
            assertThat(gauge(meters, "filelock.held", "job")).isZero();
            assertThat(gauge(meters, "filelock.waiting", "job")).isZero();
        });
    }

    @Test
    void gaugesShowHoldsAndWaitsWhileTheyLast() {
        runner().run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            FileLockRegistry locks = context.getBean(FileLockRegistry.class);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            Thread holder = new Thread(jobs::holdUntilReleased, "holder");
            holder.start();
            assertThat(jobs.holding().await(10, TimeUnit.SECONDS)).isTrue();
            Thread waiter = new Thread(jobs::holdUntilReleased, "waiter");
            waiter.start();
            awaitWaiters(locks, 1);

            assertThat(gauge(meters, "filelock.held", "job")).isEqualTo(1);
            assertThat(gauge(meters, "filelock.waiting", "job")).isEqualTo(1);
            assertThat(holdCount(meters, "job", "success")).isZero();

            jobs.release().countDown();
            holder.join(10_000);
            waiter.join(10_000);
            assertThat(gauge(meters, "filelock.held", "job")).isZero();
            assertThat(gauge(meters, "filelock.waiting", "job")).isZero();
            assertThat(holdCount(meters, "job", "success")).isEqualTo(2);
            assertThat(waitCount(meters, "job", "acquired")).isEqualTo(2);
        });
    }

    @Test
    void aSpelKeyOverAThousandIdsStaysOneTagValue() {
        runner().run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            for (int id = 0; id < 1000; id++) {
                jobs.reindex(id);
            }
            Set<String> names = meters.getMeters().stream().map(Meter::getId)
                    .filter(id -> id.getName().startsWith("filelock.")).map(id -> id.getTag("name"))
                    .filter(name -> name != null).collect(Collectors.toSet());
            assertThat(names).containsExactly("doc");
            assertThat(waitCount(meters, "doc", "acquired")).isEqualTo(1000);
            assertThat(holdCount(meters, "doc", "success")).isEqualTo(1000);
            // 5 wait outcomes + 2 hold outcomes + 2 gauges for the one name, whatever the number of keys.
            assertThat(meters.getMeters().stream().filter(m -> "doc".equals(m.getId().getTag("name")))).hasSize(9);
        });
    }

    @Test
    void percentilesComeFromBootsDistributionProperties() {
        runner().withPropertyValues("management.metrics.distribution.percentiles.filelock.wait=0.5,0.99",
                "management.metrics.distribution.slo.filelock.hold=10ms,10s").run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            jobs.run();
            Timer wait = meters.get("filelock.wait").tags("name", "job", "outcome", "acquired").timer();
            ValueAtPercentile[] percentiles = wait.takeSnapshot().percentileValues();
            assertThat(percentiles).extracting(ValueAtPercentile::percentile).containsExactly(0.5, 0.99);
            Timer hold = meters.get("filelock.hold").tags("name", "job", "outcome", "success").timer();
            assertThat(hold.takeSnapshot().histogramCounts()).hasSize(2);
        });
    }

    private static void interruptWhileWaiting(Jobs jobs, FileLockRegistry locks, MeterRegistry meters)
            throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                jobs.run();
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "interrupted-waiter");
        waiter.start();
        awaitWaiters(locks, 1);
        assertThat(gauge(meters, "filelock.waiting", "job")).isEqualTo(1);
        waiter.interrupt();
        waiter.join(10_000);
        assertThat(thrown.get()).isInstanceOf(FileLockInterruptedException.class);
    }

    static void awaitWaiters(FileLockRegistry locks, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (locks.diagnostics().waiters().size() < count) {
            assertThat(System.nanoTime()).as("waiting for %d waiter(s)", count).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static long waitCount(MeterRegistry meters, String name, String outcome) {
        return meters.get("filelock.wait").tags("name", name, "outcome", outcome).timer().count();
    }

    private static long holdCount(MeterRegistry meters, String name, String outcome) {
        return meters.get("filelock.hold").tags("name", name, "outcome", outcome).timer().count();
    }

    private static double gauge(MeterRegistry meters, String meter, String name) {
        return meters.get(meter).tag("name", name).gauge().value();
    }

    static class Jobs {

        private final CountDownLatch holding = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);

        // Through the proxy, fields are the proxy's (unset); these methods reach the target's.
        public CountDownLatch holding() {
            return holding;
        }

        public CountDownLatch release() {
            return release;
        }

        @FileLocked(name = "job", timeout = "30s")
        public void run() {
        }

        @FileLocked(name = "job", timeout = "0")
        public void once() {
        }

        @FileLocked(name = "job", timeout = "0", onTimeout = OnTimeout.SKIP)
        public String skip() {
            return "ran";
        }

        @FileLocked(name = "job", timeout = "5s")
        public void fail() {
            throw new IllegalArgumentException("boom");
        }

        @FileLocked(name = "job", timeout = "10s")
        public void holdUntilReleased() {
            holding.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @FileLocked(name = "doc", key = "#id", timeout = "5s")
        public void reindex(int id) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class JobsBean {
        @Bean
        Jobs jobs() {
            return new Jobs();
        }
    }
}
