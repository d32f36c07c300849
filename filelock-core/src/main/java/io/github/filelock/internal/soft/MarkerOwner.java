package io.github.filelock.internal.soft;

import io.github.filelock.internal.ProcessIdentity;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The holder a protocol-1 marker names, exactly as Python filelock's {@code SoftFileLock} writes and reads it:
 * {@code pid\nhost\n[start_token\n]}. Shared by the soft types.
 *
 * @param host the host name the holder wrote; a Java holder outside the initial pid namespace appends its namespace
 *     ({@code host/pidns:<inode>}, see {@link PidNamespace})
 * @param startToken on Linux {@code (boot_id << 64) | starttime}, see {@link StartTokens}; absent in a two-line marker
 */
public record MarkerOwner(long pid, String host, Optional<BigInteger> startToken) {

    /** Python's {@code _MAX_LOCK_FILE_SIZE}: a longer marker is malformed. */
    public static final int MAX_LENGTH = 1024;

    /** This process, as its markers name it. */
    public static MarkerOwner self() {
        return Self.OWNER;
    }

    public byte[] format() {
        String text = pid + "\n" + host + "\n" + startToken.map(t -> t + "\n").orElse("");
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The holder a marker names, or empty where Python's {@code _parse_lock_holder} finds none: more than
     * {@value #MAX_LENGTH} bytes, not UTF-8, not two or three lines once stripped, a pid outside 1..2^31-1, or a pid
     * or start token that is no integer.
     */
    public static Optional<MarkerOwner> parse(byte[] content) {
        if (content.length > MAX_LENGTH) {
            return Optional.empty();
        }
        Optional<String> text = PythonText.decodeUtf8(content);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        List<String> lines = PythonText.splitLines(PythonText.strip(text.get()));
        if (lines.size() != 2 && lines.size() != 3) {
            return Optional.empty();
        }
        Optional<BigInteger> pid = PythonText.parseInt(lines.get(0));
        Optional<BigInteger> token = lines.size() == 3 ? PythonText.parseInt(lines.get(2)) : Optional.empty();
        if (pid.isEmpty() || lines.size() == 3 && token.isEmpty()) {
            return Optional.empty();
        }
        if (pid.get().signum() <= 0 || pid.get().compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0) {
            return Optional.empty();
        }
        return Optional.of(new MarkerOwner(pid.get().longValue(), lines.get(1), token));
    }

    /** Whether this is the marker of this very process (a pid reused since would carry another start token). */
    public boolean isSelf() {
        MarkerOwner self = self();
        return pid == self.pid && host.equals(self.host)
                && (startToken.isEmpty() || self.startToken.isEmpty() || startToken.equals(self.startToken));
    }

    public String describe() {
        return "pid " + pid + " on " + host;
    }

    private static final class Self {
        static final MarkerOwner OWNER = new MarkerOwner(ProcessIdentity.PID, PidNamespace.markerHost(),
                StartTokens.of(ProcessIdentity.PID));
    }
}
