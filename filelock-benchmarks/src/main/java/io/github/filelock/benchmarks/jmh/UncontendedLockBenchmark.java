package io.github.filelock.benchmarks.jmh;

import io.github.filelock.FileLockHold;
import io.github.filelock.benchmarks.NativeFlock;
import io.github.filelock.internal.posix.CPath;
import io.github.filelock.internal.posix.Statx;
import java.io.IOException;
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

/**
 * One thread, one name, nobody else: the cost of {@code acquire}+{@code close} against a bare flock pair, and
 * against the floor of a flock lock that checks, after locking, that its file is still the one at its path (one
 * {@code statx} of the registry's own lock file path, as the flock backend makes on every acquisition).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class UncontendedLockBenchmark {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private LockFixture fixture;
    private final Statx pathCheck = new Statx();
    private byte[] lockFilePath;

    @Setup
    public void setUp() throws IOException {
        fixture = new LockFixture("uncontended");
        try (FileLockHold hold = fixture.registry.acquire(LockFixture.NAME, TIMEOUT)) {
            lockFilePath = CPath.of(hold.file()); // the path the registry checks, so the same depth
        }
    }

    @TearDown
    public void tearDown() {
        fixture.close();
    }

    /** Baseline: flock(LOCK_EX) + flock(LOCK_UN) on a descriptor that is already open. */
    @Benchmark
    public void bareFlockPair() {
        NativeFlock.lockExclusive(fixture.bareFd);
        NativeFlock.unlock(fixture.bareFd);
    }

    /** Floor with the deleted/replaced-file check: flock EX, statx of the lock file's path, flock UN. */
    @Benchmark
    public boolean bareFlockPairPlusPathCheck() throws IOException {
        NativeFlock.lockExclusive(fixture.bareFd);
        boolean there = pathCheck.ofPath(lockFilePath, Statx.INO | Statx.SIZE | Statx.MTIME);
        NativeFlock.unlock(fixture.bareFd);
        return there;
    }

    @Benchmark
    public void registryAcquireClose() {
        try (FileLockHold hold = fixture.registry.acquire(LockFixture.NAME, TIMEOUT)) {
            // the lock is the work
        }
    }
}
