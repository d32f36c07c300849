package io.github.filelock.benchmarks.contention;

import io.github.filelock.benchmarks.LatencyStats;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Where a contention run's time went, from every holder's stamps: the time between one holder's end of work and the
 * next holder's start (a hand-off, to a thread of the same process or of another one), and the time holders worked.
 * The total is about the sum of the two, so a lock slower than its floor shows here whether its hand-offs or its
 * holders' work took the time. All stamps are {@code CLOCK_MONOTONIC}, so a holder that got the lock before the one
 * before it had finished is two holders at once: {@link #overlaps} counts them, and must be 0.
 */
public record HandOffGaps(int sameProcessCount, long sameProcessMedianNanos, long sameProcessTotalNanos,
        int otherProcessCount, long otherProcessMedianNanos, long otherProcessTotalNanos, long heldTotalNanos,
        int overlaps) {

    /** One holding: when it got the lock and when its work was done, and which process it was in. */
    public record Holding(long got, long gaveBack, int process) {
    }

    /** Pairs each holding with the one before it, in the order the lock was got. */
    public static HandOffGaps of(List<Holding> holdings) {
        Holding[] inOrder = holdings.toArray(Holding[]::new);
        Arrays.sort(inOrder, Comparator.comparingLong(Holding::got));
        long[] same = new long[inOrder.length];
        long[] other = new long[inOrder.length];
        int sameCount = 0;
        int otherCount = 0;
        int overlaps = 0;
        long held = 0;
        for (int i = 0; i < inOrder.length; i++) {
            held += inOrder[i].gaveBack() - inOrder[i].got();
            if (i == 0) {
                continue;
            }
            long gap = inOrder[i].got() - inOrder[i - 1].gaveBack();
            if (gap < 0) {
                overlaps++;
            }
            if (inOrder[i].process() == inOrder[i - 1].process()) {
                same[sameCount++] = gap;
            } else {
                other[otherCount++] = gap;
            }
        }
        return new HandOffGaps(sameCount, median(same, sameCount), sum(same, sameCount), otherCount,
                median(other, otherCount), sum(other, otherCount), held, overlaps);
    }

    // the median as LatencyStats takes it (nearest rank), so that one report table has one definition
    private static long median(long[] values, int count) {
        return count == 0 ? 0 : LatencyStats.of(Arrays.copyOf(values, count)).medianNanos();
    }

    private static long sum(long[] values, int count) {
        long total = 0;
        for (int i = 0; i < count; i++) {
            total += values[i];
        }
        return total;
    }
}
