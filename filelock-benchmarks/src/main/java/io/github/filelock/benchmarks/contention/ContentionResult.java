package io.github.filelock.benchmarks.contention;

import io.github.filelock.benchmarks.LatencyStats;

/**
 * What a contention run measured: the final count against the expected one, the wall time, the waits, and the longest
 * wait once each thread is past its first {@link ContentionHarness#WARM_UP_ACQUISITIONS} acquisitions (in JVMs that
 * have just started, those run while the JIT is still compiling the path, for every thread at once), where the time
 * went between and inside holdings, and how long the JVMs' JIT compiled during the run ({@code -1} for python3).
 */
public record ContentionResult(long finalCount, long expectedCount, long totalNanos, LatencyStats waits,
        long longestAfterWarmUpNanos, HandOffGaps gaps, long compileMillis) {

    public boolean exact() {
        return finalCount == expectedCount;
    }
}
