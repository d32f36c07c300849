package io.github.filelock.benchmarks.spring;

import io.github.filelock.benchmarks.BenchDirs;
import io.github.filelock.spring.metrics.FileLockMetrics;
import io.github.filelock.spring.metrics.FileLockObservations;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The same uncontended {@code @FileLocked} call in two Boot contexts of one JMH run: one with Micrometer
 * (meter and observation registries, so the starter's metrics and hold observations are on), one without.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MetricsOverheadBenchmark {

    /** A context and its proxied bean; {@code metered} says whether Micrometer is in it. */
    abstract static class Context {
        private Path dir;
        private ConfigurableApplicationContext context;
        LockedWork work;

        void start(boolean metered) {
            dir = BenchDirs.fresh(metered ? "metrics-on" : "metrics-off");
            context = metered ? SpringBenchApplication.start(dir.resolve("locks"), MeteredRegistries.class)
                    : SpringBenchApplication.start(dir.resolve("locks"));
            work = context.getBean(LockedWork.class);
            // a wrong classpath would silently measure the same thing twice
            boolean hasMetrics = context.getBeanProvider(FileLockMetrics.class).getIfAvailable() != null
                    && context.getBeanProvider(FileLockObservations.class).getIfAvailable() != null;
            if (hasMetrics != metered) {
                throw new IllegalStateException("metrics expected " + (metered ? "on" : "off") + " but are not");
            }
        }

        @TearDown
        public void stop() {
            context.close();
            BenchDirs.delete(dir);
        }
    }

    @State(Scope.Benchmark)
    public static class MetricsOff extends Context {
        @Setup
        public void setUp() {
            start(false);
        }
    }

    @State(Scope.Benchmark)
    public static class MetricsOn extends Context {
        @Setup
        public void setUp() {
            start(true);
        }
    }

    @Benchmark
    public int metricsOff(MetricsOff off) {
        return off.work.run();
    }

    @Benchmark
    public int metricsOn(MetricsOn on) {
        return on.work.run();
    }
}
