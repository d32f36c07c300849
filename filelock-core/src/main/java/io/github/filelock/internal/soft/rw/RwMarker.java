package io.github.filelock.internal.soft.rw;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The content of a reader or writer marker, exactly as Python's {@code SoftReadWriteLock} writes and reads it:
 * {@code token\npid\nhost\n}, where the token is 128 random bits in lower-case hex. The token, not the inode, tells a
 * holder that a marker is still its own.
 */
record RwMarker(String token, long pid, String host) {

    /** Python refuses larger markers as malformed. */
    static final int MAX_SIZE = 1024;

    private static final SecureRandom RANDOM = new SecureRandom();
    // Python's regex: token, a pid without leading zero, a printable host of up to 253 chars, then any newlines.
    private static final Pattern FORMAT = Pattern.compile(
            "\\A([0-9a-f]{32})\\n([1-9][0-9]{0,9})\\n([\\x21-\\x7e]{1,253})\\n*\\z");

    static String newToken() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    byte[] format() {
        return (token + "\n" + pid + "\n" + host + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The marker's holder, or empty when the content is malformed (then only its age counts). */
    static Optional<RwMarker> parse(byte[] content) {
        if (content.length == 0 || content.length > MAX_SIZE) {
            return Optional.empty();
        }
        for (byte b : content) {
            if (b < 0) {
                return Optional.empty(); // not ASCII
            }
        }
        Matcher m = FORMAT.matcher(new String(content, StandardCharsets.US_ASCII));
        if (!m.matches()) {
            return Optional.empty();
        }
        long pid = Long.parseLong(m.group(2));
        if (pid > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        return Optional.of(new RwMarker(m.group(1), pid, m.group(3)));
    }

    String describe() {
        return "pid " + pid + " on " + host;
    }
}
