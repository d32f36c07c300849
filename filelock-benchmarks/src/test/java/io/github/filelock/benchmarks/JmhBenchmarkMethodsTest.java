package io.github.filelock.benchmarks;

import static org.assertj.core.api.Assertions.assertThatCode;

import io.github.filelock.benchmarks.jmh.ContendedLockBenchmark;
import io.github.filelock.benchmarks.jmh.UncontendedLockBenchmark;
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
            } finally {
                benchmark.tearDown();
            }
        }).doesNotThrowAnyException();
    }

    @Test
    void contendedBenchmarksRun() {
        ContendedLockBenchmark benchmark = new ContendedLockBenchmark();
        assertThatCode(() -> {
            benchmark.setUp();
            try {
                benchmark.fairLockPlusFlock();
                benchmark.registryHandOff();
            } finally {
                benchmark.tearDown();
            }
        }).doesNotThrowAnyException();
    }
}
