package io.github.filelock.internal.soft;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The content of a soft marker, exactly as Python filelock's {@code SoftFileLock} writes it:
 * {@code pid\nhostname\nstart_token\n}. The start token line is absent when the writer could not read one.
 *
 * @param startToken on Linux {@code (boot_id << 64) | starttime}, see {@link StartTokens}
 */
record MarkerOwner(long pid, String host, Optional<BigInteger> startToken) {

    byte[] format() {
        String text = pid + "\n" + host + "\n" + startToken.map(t -> t + "\n").orElse("");
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The owner a marker names, or empty for empty, torn or foreign content (judged by its age alone). */
    static Optional<MarkerOwner> parse(byte[] content) {
        String[] lines = new String(content, StandardCharsets.UTF_8).split("\n", -1);
        if (lines.length < 3 || lines[1].isEmpty()) {
            return Optional.empty(); // a complete marker ends its host line with '\n'
        }
        try {
            long pid = Long.parseLong(lines[0].trim());
            if (pid < 1 || pid > Integer.MAX_VALUE) {
                return Optional.empty();
            }
            String token = lines[2].trim();
            Optional<BigInteger> start = token.isEmpty() ? Optional.empty() : Optional.of(new BigInteger(token));
            return Optional.of(new MarkerOwner(pid, lines[1], start));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    String describe() {
        return "pid " + pid + " on " + host;
    }
}
