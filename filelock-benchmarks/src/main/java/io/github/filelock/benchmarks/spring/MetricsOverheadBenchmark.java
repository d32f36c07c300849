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
 * The same uncontended {@code @FileLocked} call in Boot contexts of one JMH run: without Micrometer; with a
 * meter and an observation registry (the starter's meters and hold observations on) whose observations also
 * become timers, as in an application with Boot's actuator; and with the same registries but no observation
 * handler, to tell the two costs apart.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MetricsOverheadBenchmark {

    /** A context and its proxied bean; {@code micrometer}: the configuration that brings Micrometer, if any. */
    abstract static class Context {
        private Path dir;
        private ConfigurableApplicationContext context;
        LockedWork work;

        void start(Class<?>... micrometer) {
            boolean metered = micrometer.length > 0;
            dir = BenchDirs.fresh(metered ? "metrics-on" : "metrics-off");
            context = SpringBenchApplication.start(dir.resolve("locks"), micrometer);
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
            start();
        }
    }

    @State(Scope.Benchmark)
    public static class MetricsOn extends Context {
        @Setup
        public void setUp() {
            start(MeteredRegistries.class, MeteredRegistries.ObservationTimers.class);
        }
    }

    @State(Scope.Benchmark)
    public static class MetersOnly extends Context {
        @Setup
        public void setUp() {
            start(MeteredRegistries.class);
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

    @Benchmark
    public int metersWithoutObservationHandler(MetersOnly meters) {
        return meters.work.run();
    }
}
