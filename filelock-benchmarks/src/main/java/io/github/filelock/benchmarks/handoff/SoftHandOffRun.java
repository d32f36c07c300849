package io.github.filelock.benchmarks.handoff;

import io.github.filelock.benchmarks.LatencyStats;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Only the soft-lock rows of the cross-process hand-off, for tuning {@code softPollInterval} without the whole
 * suite: the flock registry (the baseline) and the soft registry at several poll intervals, all in this run, each
 * soft figure given as a ratio against the flock registry and against the default poll. Arguments: hand-offs,
 * warm-up hand-offs, hold microseconds, then poll intervals in ms (the first is the default, 25).
 */
public final class SoftHandOffRun {

    private SoftHandOffRun() {
    }

    public static void main(String[] args) throws Exception {
        int measured = Integer.parseInt(args[0]);
        int warmUp = Integer.parseInt(args[1]);
        int holdMicros = Integer.parseInt(args[2]);
        List<String> polls = List.of(args).subList(3, args.length);
        HandOffHarness harness = new HandOffHarness(measured, warmUp, holdMicros, false);
        LatencyStats flock = harness.javaPair();
        System.out.println("| lock | median | p99 | median / flock | median / soft at " + polls.get(0) + " ms |");
        System.out.println("|---|---|---|---|---|");
        row("flock registry (baseline)", flock, flock, null);
        LatencyStats first = null;
        for (String poll : polls) {
            LatencyStats soft = harness.softPair(Duration.ofNanos((long) (Double.parseDouble(poll) * 1e6)));
            first = first == null ? soft : first;
            row("soft, poll " + poll + " ms", soft, flock, first);
        }
    }

    private static void row(String label, LatencyStats stats, LatencyStats flock, LatencyStats soft) {
        System.out.printf(Locale.ROOT, "| %s | %.1f us | %.1f us | %.2fx | %s |%n", label, stats.medianNanos() / 1e3,
                stats.p99Nanos() / 1e3, (double) stats.medianNanos() / flock.medianNanos(),
                soft == null ? "-" : String.format(Locale.ROOT, "%.2fx",
                        (double) stats.medianNanos() / soft.medianNanos()));
    }
}
