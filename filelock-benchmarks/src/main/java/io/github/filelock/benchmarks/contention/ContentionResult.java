package io.github.filelock.benchmarks.contention;

import io.github.filelock.benchmarks.LatencyStats;

/** What a contention run measured: the final count against the expected one, the wall time, and the waits. */
public record ContentionResult(long finalCount, long expectedCount, long totalNanos, LatencyStats waits) {

    public boolean exact() {
        return finalCount == expectedCount;
    }
}
