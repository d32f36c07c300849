package io.github.filelock.benchmarks.handoff;

import io.github.filelock.benchmarks.BenchDirs;
import io.github.filelock.benchmarks.ChildJvm;
import io.github.filelock.benchmarks.ChildProcesses;
import io.github.filelock.benchmarks.LatencyStats;
import io.github.filelock.benchmarks.PythonScripts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * Cross-process hand-off latency: two processes ping-pong one lock. Each sample is the time from the
 * releaser's stamp (taken just before it releases) to the moment the waiter's acquire returns, on
 * CLOCK_MONOTONIC, which both JVMs and python3 read on one host.
 *
 * <p>{@code measured}: hand-offs to report, after {@code warmUp} hand-offs that are dropped (JIT warm-up,
 * file creation). {@code holdMicros}: how long a holder keeps the lock at least after the waiter said it is
 * about to wait, so the waiter is blocked (or asleep) when the release comes; a random jitter is added (one
 * more {@code holdMicros} for Java, one poll interval for python).
 */
public final class HandOffHarness {

    private final int measured;
    private final int warmUp;
    private final int holdMicros;
    private final boolean quickStart;
    private Path dir;

    public HandOffHarness(int measured, int warmUp, int holdMicros, boolean quickStart) {
        this.measured = measured;
        this.warmUp = warmUp;
        this.holdMicros = holdMicros;
        this.quickStart = quickStart;
    }

    /** Two JVMs using {@code FileLockRegistry}. */
    public LatencyStats javaPair() throws IOException {
        return javaPair("registry");
    }

    /** As {@link #javaPair()}, with the registry's waits in a helper thread (as before issue 16's caller waits). */
    public LatencyStats javaHelperPair() throws IOException {
        return javaPair("registry-helper");
    }

    /** Two JVMs using {@code FileLockRegistry} built with {@code type(LockType.SOFT)}. */
    public LatencyStats softPair() throws IOException {
        return javaPair("registry-soft");
    }

    /** As {@link #softPair()}, with the registry's soft poll interval set to {@code pollInterval}. */
    public LatencyStats softPair(Duration pollInterval) throws IOException {
        return javaPair("registry-soft:" + pollInterval.toNanos() / 1e6);
    }

    /**
     * Two JVMs blocking in a bare {@code flock(LOCK_EX)} made by a helper thread while the caller waits on a future:
     * the second wake-up that a lock with timeouts needs when it cannot block in the caller's thread.
     */
    public LatencyStats bareFlockViaHelperPair() throws IOException {
        return javaPair("bare-helper");
    }

    /**
     * Two JVMs ping-ponging a PostgreSQL lock ({@code pg-registry}, {@code pg-bare}, {@code pg-jdbc-registry}), on the
     * server that
     * {@code FILELOCK_TEST_POSTGRES_URL} names.
     */
    public LatencyStats postgresPair(String lock) throws IOException {
        return javaPair(lock);
    }

    /**
     * Runs the pairs of {@code locks} (as for {@link JavaHandOffPeer}: {@code registry}; {@code bare}, blocking
     * {@code flock(LOCK_EX)} in the calling thread, the kernel's wake-up; {@code bare-checked}, the same followed by
     * the file calls the registry makes after each wake-up, a {@code statx} of the path, a holder record's
     * {@code pwrite} and a {@code statx}) in turn, {@code turns} times over, each pair with the full warm-up and
     * {@code 1/turns} of the measured hand-offs. With one pair per lock the ratios drifted: one lock's median moved by
     * up to three quarters from one pair of JVMs to the next (31 to 54 us for the registry on a 2-CPU machine), as
     * much as the gap between the locks being compared.
     *
     * @return each lock's samples, pooled and by pair, in the order of {@code locks}
     */
    public Map<String, InTurn> javaPairsInTurn(List<String> locks, int turns) throws IOException {
        requireTurns(turns);
        int perTurn = (measured + turns - 1) / turns;
        return inTurn(locks, turns, lock -> javaPairSamples(lock, perTurn));
    }

    /**
     * Two JVMs that both loop on acquire + release of one lock ({@link AlternationPeer}), {@code acquisitions}
     * each: for every release made while the other peer was waiting, the time until the other peer's next
     * acquisition. {@code locks}: {@code registry}, or {@code bare} (blocking {@code flock} in the calling thread,
     * which shows the kernel's own barging). Each lock's pair runs {@code turns} times, in turn with the other locks'
     * pairs (see {@link #javaPairsInTurn}). At 3,000 acquisitions per JVM the scheduler decided this row even more
     * than the hand-off's: bare {@code flock}'s own median ranged from 26 us to 2.6 ms over seven pairs on a 2-CPU
     * machine. A pair with no sample is a result, not an error: no release met the other JVM waiting after the
     * warm-up samples were dropped, and the report says so.
     *
     * @return each lock's samples, pooled and by pair, in the order of {@code locks}
     */
    public Map<String, InTurn> alternationsInTurn(List<String> locks, int acquisitions, int turns)
            throws IOException {
        requireTurns(turns);
        return inTurn(locks, turns, lock -> alternationSamples(lock, acquisitions));
    }

    private static void requireTurns(int turns) {
        if (turns < 1) {
            throw new IllegalArgumentException("turns must be at least 1, was " + turns);
        }
    }

    private interface PairRun {
        long[] samples(String lock) throws IOException;
    }

    // Runs each lock's pair `turns` times, the locks taking turns.
    private static Map<String, InTurn> inTurn(List<String> locks, int turns, PairRun run) throws IOException {
        Map<String, List<long[]>> runs = new LinkedHashMap<>();
        for (int turn = 0; turn < turns; turn++) {
            for (String lock : locks) {
                runs.computeIfAbsent(lock, k -> new ArrayList<>()).add(run.samples(lock));
            }
        }
        Map<String, InTurn> byLock = new LinkedHashMap<>();
        runs.forEach((lock, each) -> byLock.put(lock, InTurn.of(each)));
        return byLock;
    }

    /** Samples of each JVM dropped from the start of an alternation of {@code acquisitions}: the first twelfth. */
    public static int alternationWarmUp(int acquisitions) {
        return acquisitions / 12;
    }

    private long[] alternationSamples(String lock, int acquisitions) throws IOException {
        dir = BenchDirs.fresh("alternation-" + lock);
        try {
            Files.createDirectories(dir.resolve("locks"));
            Files.write(dir.resolve("board"), new byte[HandOffBoard.SIZE]);
            ChildProcesses children = new ChildProcesses(dir);
            for (int peer = 0; peer < 2; peer++) {
                children.start("alternation-" + peer, ChildJvm.command(AlternationPeer.class, "64m", quickStart,
                        List.of(Integer.toString(peer), dir.resolve("locks").toString(),
                                dir.resolve("board").toString(), Integer.toString(acquisitions),
                                dir.resolve("acquired-" + peer).toString(), dir.resolve("released-" + peer).toString(),
                                lock)));
            }
            children.awaitAll(Duration.ofMinutes(3));
            long[][] acquired = {HandOffSamples.read(dir.resolve("acquired-0")),
                HandOffSamples.read(dir.resolve("acquired-1"))};
            // the first releases of each peer meet JVMs still warming up: dropped, as the hand-off's warm-up
            int dropped = alternationWarmUp(acquisitions);
            return LongStream.concat(
                    Arrays.stream(untilNext(HandOffSamples.read(dir.resolve("released-0")), acquired[1]))
                            .skip(dropped),
                    Arrays.stream(untilNext(HandOffSamples.read(dir.resolve("released-1")), acquired[0]))
                            .skip(dropped))
                    .toArray();
        } finally {
            BenchDirs.delete(dir);
        }
    }

    // For each release, the time to the first acquisition of the other peer after it (acquisitions are sorted).
    private static long[] untilNext(long[] releases, long[] otherAcquired) {
        long[] samples = new long[releases.length];
        int n = 0;
        for (long release : releases) {
            int at = Arrays.binarySearch(otherAcquired, release);
            int next = at >= 0 ? at : -at - 1;
            if (next < otherAcquired.length) {
                samples[n++] = otherAcquired[next] - release;
            }
        }
        return Arrays.copyOf(samples, n);
    }

    private LatencyStats javaPair(String lock) throws IOException {
        return LatencyStats.of(javaPairSamples(lock, measured));
    }

    private long[] javaPairSamples(String lock, int handOffs) throws IOException {
        return run("java-" + lock, peer -> {
            List<String> args = new ArrayList<>(peerArgs(peer, holdMicros, handOffs));
            args.add(lock);
            return ChildJvm.command(JavaHandOffPeer.class, "64m", quickStart, args);
        });
    }

    /** Two python3 processes polling {@code flock(LOCK_EX|LOCK_NB)} every {@code pollSeconds}, as filelock does. */
    public LatencyStats pythonPair(double pollSeconds) throws IOException {
        return LatencyStats.of(run("python-poll-" + pollSeconds, peer -> {
            // jitter of one poll interval: the release meets the sleeping poller at a random phase
            List<String> args = new ArrayList<>(peerArgs(peer, (int) (pollSeconds * 1e6), measured));
            args.add(Double.toString(pollSeconds));
            return PythonScripts.command("handoff_peer.py", dir, args);
        }));
    }

    private interface PeerCommand {
        List<String> of(int peer);
    }

    private List<String> peerArgs(int peer, int jitterMicros, int handOffs) {
        return List.of(Integer.toString(peer), dir.resolve("locks").toString(), dir.resolve("board").toString(),
                Integer.toString(roundsPerPeer(handOffs)), Integer.toString(holdMicros), Integer.toString(jitterMicros),
                dir.resolve("samples-" + peer).toString());
    }

    // 2r acquisitions make 2r-1 hand-offs; peer 1's first sample follows peer 0's first hold.
    private int roundsPerPeer(int handOffs) {
        return (handOffs + warmUp) / 2 + 1;
    }

    // The samples of one pair of processes, each peer's first warmUp/2 dropped.
    private long[] run(String label, PeerCommand command) throws IOException {
        dir = BenchDirs.fresh("handoff-" + label);
        try {
            Files.createDirectories(dir.resolve("locks"));
            Files.write(dir.resolve("board"), new byte[HandOffBoard.SIZE]);
            ChildProcesses children = new ChildProcesses(dir);
            children.start("peer-0", command.of(0));
            children.start("peer-1", command.of(1));
            children.awaitAll(Duration.ofMinutes(3));
            long[] first = HandOffSamples.read(dir.resolve("samples-0"));
            long[] second = HandOffSamples.read(dir.resolve("samples-1"));
            int dropEach = warmUp / 2;
            return LongStream.concat(Arrays.stream(first).skip(dropEach), Arrays.stream(second).skip(dropEach))
                    .toArray();
        } finally {
            BenchDirs.delete(dir);
        }
    }
}
