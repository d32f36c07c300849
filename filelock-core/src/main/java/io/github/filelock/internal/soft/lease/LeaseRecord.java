package io.github.filelock.internal.soft.lease;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The owner a protocol 2 marker names, as Python filelock's {@code _marker.py} writes and reads it: the line
 * {@code filelock/2}, then {@code key=value} lines {@code pid}, {@code host}, {@code mode}, and for a lease
 * {@code token}, {@code duration} (seconds, a float) and {@code start} (the start token, when known).
 *
 * @param mode {@code lease}, or {@code unknown} for a contract another filelock wrote that this one does not know: such
 *     a record still names a live owner, and is never aged out
 * @param duration the lease in seconds; NaN when the record states none
 */
record LeaseRecord(long pid, String host, String mode, Optional<String> token, double duration,
        Optional<BigInteger> start) {

    static final String PROTOCOL = "filelock/2";
    static final String LEASE = "lease";
    private static final String UNKNOWN = "unknown";

    boolean isLease() {
        return LEASE.equals(mode);
    }

    /** The marker content, with the fields in the order Python writes them. */
    byte[] format() {
        StringBuilder text = new StringBuilder(PROTOCOL).append('\n')
                .append("pid=").append(pid).append('\n')
                .append("host=").append(host).append('\n')
                .append("mode=").append(mode).append('\n');
        token.ifPresent(t -> text.append("token=").append(t).append('\n'));
        if (!Double.isNaN(duration)) {
            text.append("duration=").append(seconds(duration)).append('\n');
        }
        start.ifPresent(s -> text.append("start=").append(s).append('\n'));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The owner a protocol 2 marker names; empty for a protocol 1 marker, the strict sentinel, and a malformed record
     * (no mode, no host, a bad pid, a lease without a token or a positive finite duration), exactly where Python's
     * {@code parse_marker} answers {@code None}. Unknown keys are fields of a newer filelock, and are ignored.
     */
    static Optional<LeaseRecord> parse(byte[] content) {
        String[] lines = new String(content, StandardCharsets.UTF_8).strip().split("\\R");
        if (lines.length == 0 || !lines[0].equals(PROTOCOL)) {
            return Optional.empty();
        }
        Map<String, String> fields = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int eq = lines[i].indexOf('=');
            if (eq < 0) {
                return Optional.empty();
            }
            fields.put(lines[i].substring(0, eq), lines[i].substring(eq + 1));
        }
        String published = fields.get("mode");
        String host = fields.get("host");
        if (published == null || host == null || host.isEmpty() || !fields.containsKey("pid")) {
            return Optional.empty();
        }
        String mode = LEASE.equals(published) ? LEASE : UNKNOWN;
        long pid;
        double duration;
        Optional<BigInteger> start;
        try {
            pid = Long.parseLong(fields.get("pid").strip());
            duration = fields.containsKey("duration") ? parseSeconds(fields.get("duration")) : Double.NaN;
            start = fields.containsKey("start") ? Optional.of(new BigInteger(fields.get("start").strip()))
                    : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (pid < 1 || pid > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        Optional<String> token = Optional.ofNullable(fields.get("token"));
        if (mode.equals(LEASE) && (token.isEmpty() || !Double.isFinite(duration) || duration <= 0)) {
            return Optional.empty(); // a lease that states no usable expiry ages out as malformed, as in Python
        }
        return Optional.of(new LeaseRecord(pid, host, mode, token, duration, start));
    }

    /** Seconds as Python's {@code repr(float)} writes them for the values a lease takes ({@code 30.0}, {@code 0.5}). */
    static String seconds(double seconds) {
        return Double.toString(seconds);
    }

    // Python's float() also reads "inf", "nan" and "1_0"; none of those is a lease anyone can agree on.
    private static double parseSeconds(String text) {
        String s = text.strip().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("inf") || s.equals("+inf") || s.equals("infinity")) {
            return Double.POSITIVE_INFINITY;
        }
        if (s.equals("nan")) {
            return Double.NaN;
        }
        return Double.parseDouble(s.replace("_", ""));
    }

    String describe() {
        return "pid " + pid + " on " + host + (isLease() ? ", lease " + seconds(duration) + " s" : ", mode " + mode);
    }
}
