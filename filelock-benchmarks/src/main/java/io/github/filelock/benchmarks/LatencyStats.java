package io.github.filelock.benchmarks;

import java.util.Arrays;

/** Median, p99 and max of a set of samples in nanoseconds. */
public record LatencyStats(int count, long medianNanos, long p99Nanos, long maxNanos) {

    public static LatencyStats of(long[] samples) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("no samples to summarise");
        }
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        return new LatencyStats(sorted.length, percentile(sorted, 50), percentile(sorted, 99),
                sorted[sorted.length - 1]);
    }

    // nearest-rank percentile
    private static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    public double medianMicros() {
        return medianNanos / 1000.0;
    }

    public double p99Micros() {
        return p99Nanos / 1000.0;
    }

    public double maxMicros() {
        return maxNanos / 1000.0;
    }
}
