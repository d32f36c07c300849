package io.github.filelock.benchmarks.handoff;

import io.github.filelock.benchmarks.LatencyStats;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * One lock's figures from the pairs of JVMs that took turns with other locks' pairs: all samples pooled, and each
 * pair's own, in the order they ran. A pair with no sample is null: in an alternation, no release of either JVM met
 * the other one waiting after the warm-up samples were dropped. Pooling weighs each pair by its samples, so the
 * report shows each pair too.
 *
 * @param pooled every pair's samples together; null when no pair gave one
 */
public record InTurn(@Nullable LatencyStats pooled, List<@Nullable LatencyStats> pairs) {

    static InTurn of(List<long[]> samplesByPair) {
        long[] all = samplesByPair.stream().flatMapToLong(java.util.Arrays::stream).toArray();
        return new InTurn(all.length == 0 ? null : LatencyStats.of(all), samplesByPair.stream()
                .map(samples -> samples.length == 0 ? null : LatencyStats.of(samples)).toList());
    }

    /** Each pair's median in microseconds, or {@code no sample}: "12.0 / no sample / 30.1 us". */
    public String pairMedians() {
        return pairs.stream().map(s -> s == null ? "no sample" : String.format(Locale.ROOT, "%.1f", s.medianMicros()))
                .collect(Collectors.joining(" / ")) + " us";
    }
}
