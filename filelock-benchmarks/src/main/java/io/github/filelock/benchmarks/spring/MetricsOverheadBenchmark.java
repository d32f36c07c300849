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

        void start(boolean observations, Class<?>... micrometer) {
            boolean metered = micrometer.length > 0;
            dir = BenchDirs.fresh(metered ? "metrics-on" : "metrics-off");
            context = SpringBenchApplication.start(dir.resolve("locks"), observations, micrometer);
            work = context.getBean(LockedWork.class);
            // a wrong classpath or property would silently measure the same thing twice
            boolean hasMeters = context.getBeanProvider(FileLockMetrics.class).getIfAvailable() != null;
            boolean hasObservations = context.getBeanProvider(FileLockObservations.class).getIfAvailable() != null;
            if (hasMeters != metered || hasObservations != (metered && observations)) {
                throw new IllegalStateException("expected meters " + metered + " and observations "
                        + (metered && observations) + ", found " + hasMeters + " and " + hasObservations);
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
            start(true);
        }
    }

    @State(Scope.Benchmark)
    public static class MetricsOn extends Context {
        @Setup
        public void setUp() {
            start(true, MeteredRegistries.class, MeteredRegistries.ObservationTimers.class);
        }
    }

    /** The starter's meters with its hold observations switched off ({@code filelock.observations.enabled=false}). */
    @State(Scope.Benchmark)
    public static class MetersOnly extends Context {
        @Setup
        public void setUp() {
            start(false, MeteredRegistries.class, MeteredRegistries.ObservationTimers.class);
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
    public int metersOnlyObservationsOff(MetersOnly meters) {
        return meters.work.run();
    }
}
