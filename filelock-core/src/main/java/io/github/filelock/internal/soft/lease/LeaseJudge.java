package io.github.filelock.internal.soft.lease;

import io.github.filelock.LeaseSettingsMismatchException;
import io.github.filelock.internal.soft.MarkerFiles.Observed;
import io.github.filelock.internal.soft.OwnerLiveness;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides whether a marker found at a lease's path may be broken, as Python's {@code SoftFileLease} decides it, so
 * that Java and Python contenders judge each other's markers the same way:
 * <ul>
 * <li>a lease record: its owner provably dead on this host, or its mtime older than the lease <em>written in the
 *     record</em>; a record whose lease differs from ours is refused ({@link LeaseSettingsMismatchException});</li>
 * <li>a record of another protocol 2 mode: never, its owner agreed to no lease;</li>
 * <li>the strict sentinel: never;</li>
 * <li>a protocol 1 marker ({@code pid\nhost\n[start]\n}): only when its owner is provably dead on this host;</li>
 * <li>anything else (malformed, torn): once it is {@value #MALFORMED_GRACE_MILLIS} ms old, so a marker between its
 *     create and its write is never taken for a stale one.</li>
 * </ul>
 */
final class LeaseJudge {

    static final long MALFORMED_GRACE_MILLIS = 2000;
    static final String STRICT_SENTINEL = "1\nfilelock-strict-v1\0\n0\n";
    private static final int PYTHON_MAX_CONTENT = 1024;

    private final double seconds;

    LeaseJudge(Duration lease) {
        this.seconds = lease.toNanos() / 1e9;
    }

    double seconds() {
        return seconds;
    }

    /**
     * Why the marker may be broken, or empty when its owner may still hold it.
     *
     * @throws LeaseSettingsMismatchException when the marker is a lease of another duration
     */
    Optional<String> staleReason(Path file, Observed seen, Instant now) {
        byte[] content = seen.content();
        Instant modified = seen.stat().modified();
        // Python reads at most 1024 bytes of UTF-8; anything else is malformed to it, and so to us.
        boolean readable = content.length <= PYTHON_MAX_CONTENT && isUtf8(content);
        Optional<LeaseRecord> lease = readable ? LeaseRecord.parse(content) : Optional.empty();
        if (lease.isPresent()) {
            return leaseStale(file, lease.get(), modified, now);
        }
        String text = new String(content, StandardCharsets.UTF_8);
        if (text.equals(STRICT_SENTINEL)) {
            return Optional.empty();
        }
        Optional<ProtocolOne> legacy = readable ? ProtocolOne.parse(text) : Optional.empty();
        if (legacy.isPresent()) {
            ProtocolOne o = legacy.get();
            return OwnerLiveness.provablyGone(o.pid(), o.host(), o.start())
                    ? Optional.of("its protocol 1 owner, pid " + o.pid() + " on " + o.host() + ", is gone")
                    : Optional.empty();
        }
        long age = Duration.between(modified, now).toMillis();
        return age >= MALFORMED_GRACE_MILLIS
                ? Optional.of("its content is no owner record, and it has not changed for " + age + " ms")
                : Optional.empty();
    }

    private Optional<String> leaseStale(Path file, LeaseRecord owner, Instant modified, Instant now) {
        if (!owner.isLease()) {
            return Optional.empty();
        }
        if (Double.compare(owner.duration(), seconds) != 0) {
            String holder = "pid " + owner.pid() + " on " + owner.host();
            throw new LeaseSettingsMismatchException(file, holder, owner.duration(), seconds);
        }
        if (OwnerLiveness.provablyGone(owner.pid(), owner.host(), owner.start())) {
            return Optional.of("its owner, " + owner.describe() + ", is gone");
        }
        Duration age = Duration.between(modified, now);
        if (age.toNanos() / 1e9 >= owner.duration()) {
            return Optional.of("its owner, " + owner.describe() + ", has not refreshed it for " + age.toMillis()
                    + " ms");
        }
        return Optional.empty();
    }

    private static boolean isUtf8(byte[] content) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(content));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /** A protocol 1 marker, read as Python's {@code _parse_lock_holder} reads it. */
    record ProtocolOne(long pid, String host, Optional<BigInteger> start) {

        static Optional<ProtocolOne> parse(String text) {
            String stripped = text.strip();
            String[] lines = stripped.isEmpty() ? new String[0] : stripped.split("\\R");
            if (lines.length != 2 && lines.length != 3) {
                return Optional.empty();
            }
            try {
                long pid = Long.parseLong(lines[0].strip());
                Optional<BigInteger> start = lines.length == 3 ? Optional.of(new BigInteger(lines[2].strip()))
                        : Optional.empty();
                return pid < 1 || pid > Integer.MAX_VALUE ? Optional.empty()
                        : Optional.of(new ProtocolOne(pid, lines[1], start));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }
}
