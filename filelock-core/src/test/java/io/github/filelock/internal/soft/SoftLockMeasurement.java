package io.github.filelock.internal.soft;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prints soft-lock figures for docs/soft-locks.md. Measures only: speed is never asserted. */
class SoftLockMeasurement {

    @TempDir
    Path dir;

    @Test
    void handOffLatencyBetweenTwoJvms() throws Exception {
        int rounds = 150;
        try (Jvm a = Jvm.softChild(dir); Jvm b = Jvm.softChild(dir)) {
            a.send("handoff job " + rounds);
            b.send("handoff job " + rounds);
            List<long[]> holdsA = parse(a.expect("LOG"));
            List<long[]> holdsB = parse(b.expect("LOG"));
            List<Long> latencies = new ArrayList<>();
            collect(holdsA, holdsB, latencies);
            collect(holdsB, holdsA, latencies);
            Collections.sort(latencies);
            System.out.printf("soft hand-off between two JVMs (the children poll every 25 ms): n=%d median=%.2f ms"
                    + " p99=%.2f ms max=%.2f ms%n", latencies.size(), pct(latencies, 50), pct(latencies, 99),
                    latencies.get(latencies.size() - 1) / 1000.0);
        }
    }

    @Test
    void uncontendedAcquireAndReleaseCost() {
        for (LockType type : List.of(LockType.SOFT, LockType.FLOCK)) {
            try (FileLockRegistry locks = FileLockRegistry.builder(dir.resolve(type.name())).type(type)
                    .build()) {
                for (int i = 0; i < 2000; i++) {
                    locks.acquire("warm", Duration.ZERO).close();
                }
                int n = 5000;
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    locks.acquire("cost", Duration.ZERO).close();
                }
                System.out.printf("uncontended acquire+release, %s: %.1f us%n", type,
                        (System.nanoTime() - start) / 1000.0 / n);
            }
        }
    }

    // A hand-off: a hold of `waiter` whose wait began before a release by `holder`, which it followed.
    private static void collect(List<long[]> waiter, List<long[]> holder, List<Long> out) {
        for (long[] w : waiter) {
            long release = -1;
            for (long[] h : holder) {
                if (h[2] <= w[1] && h[2] > w[0]) {
                    release = Math.max(release, h[2]);
                }
            }
            if (release > 0) {
                out.add(w[1] - release);
            }
        }
    }

    private static List<long[]> parse(String line) {
        List<long[]> holds = new ArrayList<>();
        for (String hold : line.substring(4).split(";")) {
            String[] f = hold.split(" ");
            holds.add(new long[] {Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2])});
        }
        return holds;
    }

    private static double pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100)) / 1000.0;
    }
}
