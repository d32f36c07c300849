package io.github.filelock.benchmarks.handoff;

import io.github.filelock.benchmarks.LatencyStats;
import java.io.IOException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The Redis hand-offs of one run, on the same server: the starter's redis type ({@code registry}), Redisson's own
 * write lock ({@code bare}, the floor for a Redisson hand-off; null when it stalled past the harness's limit,
 * which Redisson's blocking {@code lock()} can do when it misses a release message) and Spring Integration's spinning
 * {@code RedisLockRegistry}. Run by the suite when {@code FILELOCK_TEST_REDIS_URL} names a server.
 */
public record RedisHandOffs(LatencyStats registry, @Nullable LatencyStats bare, LatencyStats redisLockRegistry) {

    /** The target for the registry's median hand-off on loopback. */
    public static final long TARGET_MEDIAN_NANOS = 2_000_000;

    /** Measures the three, each with {@code handOffs} samples after 100 warm-up hand-offs. */
    public static RedisHandOffs measure(int handOffs, int holdMicros, boolean quickStart) throws IOException {
        LatencyStats registry = new HandOffHarness(handOffs, 100, holdMicros, quickStart)
                .postgresPair("redis-registry");
        LatencyStats springIntegration = new HandOffHarness(handOffs, 100, holdMicros, quickStart)
                .postgresPair("redis-lock-registry");
        LatencyStats bare;
        try {
            bare = new HandOffHarness(handOffs, 100, holdMicros, quickStart).postgresPair("redis-bare");
        } catch (IllegalStateException e) {
            // Redisson's blocking lock() can miss a write lock's release message and sleep until the TTL ends
            System.err.println("bare Redisson hand-off did not finish: " + e.getMessage());
            bare = null;
        }
        return new RedisHandOffs(registry, bare, springIntegration);
    }

    /**
     * Only the Redis hand-offs, without the rest of the suite: {@code [handOffs] [holdMicros]} (1000, 500). Prints
     * the table.
     */
    public static void main(String[] args) throws IOException {
        int handOffs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int holdMicros = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        RedisLocks.url();
        System.out.println(measure(handOffs, holdMicros, false).table());
    }

    /** A markdown table of the three, with the ratios and the verdict against the target. */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append("| redis hand-off between two JVMs | median | p99 | against the starter |\n");
        out.append("|---|---|---|---|\n");
        row(out, "filelock `type: redis` (FileLockRegistry on RedisLockBackend)", registry, "");
        if (bare != null) {
            row(out, "Redisson write lock, bare, lease 5 s (pub/sub floor)", bare, ratio(registry, bare));
        } else {
            out.append("| Redisson write lock, bare | did not finish (a missed release message) | | |\n");
        }
        row(out, "Spring Integration `RedisLockRegistry` (spins)", redisLockRegistry,
                ratio(redisLockRegistry, registry));
        out.append(String.format(Locale.ROOT, "%nTarget: median <= %.1f ms: **%s**%n", TARGET_MEDIAN_NANOS / 1e6,
                registry.medianNanos() <= TARGET_MEDIAN_NANOS ? "PASS" : "FAIL"));
        return out.toString();
    }

    private static void row(StringBuilder out, String what, LatencyStats s, String note) {
        out.append(String.format(Locale.ROOT, "| %s | %.3f ms | %.3f ms | %s |%n", what, s.medianNanos() / 1e6,
                s.p99Nanos() / 1e6, note));
    }

    private static String ratio(LatencyStats a, LatencyStats b) {
        return String.format(Locale.ROOT, "%.2fx", (double) a.medianNanos() / b.medianNanos())
                + (a == b ? "" : " (median " + (a.medianNanos() >= b.medianNanos() ? "slower" : "faster") + ")");
    }
}
