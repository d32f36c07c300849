package io.github.filelock.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.github.filelock.benchmarks.jmh.BusyLockBenchmark;
import io.github.filelock.benchmarks.jmh.ContendedLockBenchmark;
import io.github.filelock.benchmarks.jmh.PostgresLockBenchmark;
import io.github.filelock.benchmarks.jmh.UncontendedLockBenchmark;
import io.github.filelock.benchmarks.spring.MetricsOverheadBenchmark;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Calls each JMH benchmark method once as plain code, so a broken fixture shows up in {@code mvn verify}. */
class JmhBenchmarkMethodsTest {

    @Test
    void uncontendedBenchmarksRun() {
        UncontendedLockBenchmark benchmark = new UncontendedLockBenchmark();
        assertThatCode(() -> {
            benchmark.setUp();
            try {
                benchmark.bareFlockPair();
                benchmark.registryAcquireClose();
                benchmark.registryAcquireClose();
                assertThat(benchmark.bareFlockPairPlusPathCheck()).as("the registry's lock file is there").isTrue();
            } finally {
                benchmark.tearDown();
            }
        }).doesNotThrowAnyException();
    }

    @Test
    void busyBenchmarksFindTheLockHeld() throws Exception {
        BusyLockBenchmark benchmark = new BusyLockBenchmark();
        benchmark.setUp();
        try {
            assertThat(benchmark.bareFailedTry()).as("held by the benchmark's own descriptor").isFalse();
            assertThat(benchmark.bareFailedTryThrowing()).isFalse();
            assertThat(benchmark.registryFailedTryAcquire()).isEmpty();
        } finally {
            benchmark.tearDown();
        }
    }

    @Test
    void contendedBenchmarksRun() {
        ContendedLockBenchmark benchmark = new ContendedLockBenchmark();
        assertThatCode(() -> {
            benchmark.setUp();
            try {
                benchmark.fairLockPlusFlock();
                benchmark.fairLockAlone();
                benchmark.fairLockPlusFileCalls();
                benchmark.registryHandOff();
                benchmark.registrySharedRead();
                benchmark.readLockPlusSharedFlock();
            } finally {
                benchmark.tearDown();
            }
        }).doesNotThrowAnyException();
    }

    @Test
    void metricsOverheadBenchmarksRunWithMetricsOffAndOn() {
        MetricsOverheadBenchmark benchmark = new MetricsOverheadBenchmark();
        MetricsOverheadBenchmark.MetricsOff off = new MetricsOverheadBenchmark.MetricsOff();
        MetricsOverheadBenchmark.MetricsOn on = new MetricsOverheadBenchmark.MetricsOn();
        MetricsOverheadBenchmark.MetersOnly meters = new MetricsOverheadBenchmark.MetersOnly();
        assertThatCode(() -> {
            // each set-up checks that its context really has (or lacks) the starter's metrics
            off.setUp();
            on.setUp();
            meters.setUp();
            try {
                benchmark.metricsOff(off);
                benchmark.metricsOn(on);
                benchmark.metersOnlyObservationsOff(meters);
            } finally {
                meters.stop();
                off.stop();
                on.stop();
            }
        }).doesNotThrowAnyException();
    }

    @Test
    void postgresBenchmarksRunWhenAServerIsNamed() {
        Assumptions.assumeTrue(SuiteSettings.parse().runPostgres(),
                "no PostgreSQL server: set FILELOCK_TEST_POSTGRES_URL (the suite runs this benchmark only then)");
        PostgresLockBenchmark benchmark = new PostgresLockBenchmark();
        assertThatCode(() -> {
            benchmark.setUp();
            try {
                benchmark.bareAdvisoryPair();
                benchmark.registryAcquireClose();
                benchmark.registryAcquireClose();
            } finally {
                benchmark.tearDown();
            }
        }).doesNotThrowAnyException();
    }
}
