package io.github.filelock.benchmarks.spring;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.benchmarks.BenchDirs;
import java.nio.file.Path;
import java.time.Duration;
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
 * An uncontended call of a {@code @FileLocked} method through the real Spring proxy, against the same work
 * wrapped in a direct {@code acquire}+{@code close} on the context's own registry (same directory, same name).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SpringFileLockedBenchmark {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Path dir;
    private ConfigurableApplicationContext context;
    private LockedWork proxied;
    private FileLockRegistry registry;
    private int calls;

    @Setup
    public void setUp() {
        dir = BenchDirs.fresh("spring");
        context = SpringBenchApplication.start(dir.resolve("locks"));
        proxied = context.getBean(LockedWork.class);
        registry = context.getBean(FileLockRegistry.class);
        if (!org.springframework.aop.support.AopUtils.isAopProxy(proxied)) {
            throw new IllegalStateException("LockedWork is not proxied: the benchmark would measure nothing");
        }
    }

    @TearDown
    public void tearDown() {
        context.close();
        BenchDirs.delete(dir);
    }

    @Benchmark
    public int fileLockedCall() {
        return proxied.run();
    }

    @Benchmark
    public int directAcquireClose() {
        try (FileLockHold hold = registry.acquire(LockedWork.NAME, TIMEOUT)) {
            return ++calls;
        }
    }
}
