package io.github.filelock.benchmarks.jmh;

import io.github.filelock.FileLockHold;
import io.github.filelock.benchmarks.NativeFlock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
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

/**
 * One thread, one name held elsewhere: the cost of a {@code tryAcquire} that finds the lock busy, as a scheduler
 * tick or a {@code SKIP} method pays on every replica that loses, and every contended {@code acquire} before it waits.
 * The holder is a second open file description of the registry's own lock file, flocked here: to the kernel, another
 * process. Baselines: the same failed {@code flock(LOCK_EX|LOCK_NB)} through a binding that returns the failure, and
 * through one that throws JNA's {@code LastErrorException} (what each failed try cost the registry before issue 16).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class BusyLockBenchmark {

    private LockFixture fixture;
    private int holderFd;
    private int contenderFd;

    @Setup
    public void setUp() throws IOException {
        fixture = new LockFixture("busy");
        Path file;
        try (FileLockHold hold = fixture.registry.acquire(LockFixture.NAME)) {
            file = hold.file();
        }
        holderFd = NativeFlock.openForLocking(file);
        NativeFlock.lockExclusive(holderFd);
        contenderFd = NativeFlock.openForLocking(file);
    }

    @TearDown
    public void tearDown() {
        NativeFlock.closeFd(contenderFd);
        NativeFlock.closeFd(holderFd);
        fixture.close();
    }

    /** Baseline: one failed non-blocking flock, the failure returned. */
    @Benchmark
    public boolean bareFailedTry() {
        return NativeFlock.tryLockExclusive(contenderFd);
    }

    /** The same failed try through JNA's throwing binding. */
    @Benchmark
    public boolean bareFailedTryThrowing() {
        return NativeFlock.tryLockExclusiveThrowing(contenderFd);
    }

    @Benchmark
    public Optional<FileLockHold> registryFailedTryAcquire() {
        return fixture.registry.tryAcquire(LockFixture.NAME);
    }
}
