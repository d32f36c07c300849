package io.github.filelock.benchmarks.report;

import java.util.Locale;

/** Formatting of figures for the report. */
public final class Figures {

    private Figures() {
    }

    public static String micros(long nanos) {
        return nanos >= 10_000_000 ? String.format(Locale.ROOT, "%.1f ms", nanos / 1e6)
                : String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
    }

    public static String nanos(double nanos) {
        return nanos >= 10_000 ? String.format(Locale.ROOT, "%.2f us", nanos / 1e3)
                : String.format(Locale.ROOT, "%.0f ns", nanos);
    }

    public static String perSecond(double ops) {
        return String.format(Locale.ROOT, "%,.0f /s", ops);
    }

    public static String ratio(double ratio) {
        return String.format(Locale.ROOT, "%.2fx", ratio);
    }

    public static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    public static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    public static String verdict(boolean pass) {
        return pass ? "PASS" : "**FAIL**";
    }
}
