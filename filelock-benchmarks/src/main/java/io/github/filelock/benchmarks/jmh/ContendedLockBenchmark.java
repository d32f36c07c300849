package io.github.filelock.benchmarks.jmh;

import io.github.filelock.FileLockHold;
import io.github.filelock.benchmarks.HolderFileCalls;
import io.github.filelock.benchmarks.NativeFlock;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Eight threads of one JVM on one name: hand-offs per second (each op is one acquire and release, and a
 * fair lock hands over on every release). The baseline is what the registry must do at least: a fair
 * {@link ReentrantLock} for arrival order plus the bare kernel lock and unlock; the fair lock alone (issue 16's
 * baseline); and the fair lock plus the file calls the registry makes for each new holder even when it keeps the
 * kernel lock from one thread to the next (its cohort hand-off): the floor of a lock that checks its file and names
 * each holder.
 *
 * <p>Shared mode: the same eight threads as readers of the one name ({@code acquireShared}), against the
 * exclusive hand-offs above and against a {@link ReentrantReadWriteLock} read lock plus a bare
 * {@code flock(LOCK_SH)}. (The bare readers share one descriptor, so one reader's {@code LOCK_UN} drops the
 * kernel lock under the others: it is a floor of the calls' cost, not a correct lock.)
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(8)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ContendedLockBenchmark {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ReentrantLock fair = new ReentrantLock(true);
    private final ReentrantReadWriteLock readWrite = new ReentrantReadWriteLock(true);
    private LockFixture fixture;

    @Setup
    public void setUp() throws IOException {
        fixture = new LockFixture("contended");
    }

    @TearDown
    public void tearDown() {
        fixture.close();
    }

    @Benchmark
    public void fairLockPlusFlock() {
        fair.lock();
        try {
            NativeFlock.lockExclusive(fixture.bareFd);
            NativeFlock.unlock(fixture.bareFd);
        } finally {
            fair.unlock();
        }
    }

    /**
     * The floor of a fair lock that keeps the kernel lock from one holder to the next (as the registry's cohort
     * hand-off does) and, as the registry, checks its file and names each new holder in it: the fair lock plus
     * {@link HolderFileCalls}, no {@code flock}.
     */
    @Benchmark
    public void fairLockPlusFileCalls() {
        fair.lock();
        try {
            fixture.bareFileCalls.afterGrant();
        } finally {
            fair.unlock();
        }
    }

    /** Issue 16's baseline: the fair lock alone, no kernel lock; a fair hand-off between threads is its whole cost. */
    @Benchmark
    public void fairLockAlone() {
        fair.lock();
        fair.unlock();
    }

    @Benchmark
    public void registryHandOff() {
        try (FileLockHold hold = fixture.registry.acquire(LockFixture.NAME, TIMEOUT)) {
            // the lock is the work
        }
    }

    @Benchmark
    public void registrySharedRead() {
        try (FileLockHold hold = fixture.registry.acquireShared(LockFixture.NAME, TIMEOUT)) {
            // the lock is the work
        }
    }

    @Benchmark
    public void readLockPlusSharedFlock() {
        readWrite.readLock().lock();
        try {
            NativeFlock.lockShared(fixture.bareFd);
            NativeFlock.unlock(fixture.bareFd);
        } finally {
            readWrite.readLock().unlock();
        }
    }
}
