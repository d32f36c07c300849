package io.github.filelock.internal;

import io.github.filelock.LockHolder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The holder record a lock holder writes into its lock file: {@code key=value} lines that a person, a
 * shell script ({@code cat embeddings.lock}) or a Python script can read.
 *
 * <pre>
 * pid=4242
 * host=host-a
 * thread=scheduling-1
 * name=embeddings
 * since=2026-11-23T12:00:03.123Z
 * </pre>
 * Values are escaped so that a newline in a thread or lock name cannot forge a line. Long lock names are
 * cut at {@value #MAX_NAME} characters; the file name already identifies the lock.
 */
public final class HolderRecord {

    public static final int MAX_BYTES = 4096;
    static final int MAX_NAME = 512;

    private HolderRecord() {
    }

    public static byte[] format(long pid, String host, String thread, String lockName, Instant since) {
        byte[] prefix = prefix(pid, host, thread, lockName);
        byte[] rest = (since + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] record = Arrays.copyOf(prefix, prefix.length + rest.length);
        System.arraycopy(rest, 0, record, prefix.length, rest.length);
        return record;
    }

    /** Everything up to and including {@code since=}: what depends only on the holder and the lock name. */
    static byte[] prefix(long pid, String host, String thread, String lockName) {
        String name = lockName.length() > MAX_NAME ? lockName.substring(0, MAX_NAME) : lockName;
        String shortThread = thread.length() > 256 ? thread.substring(0, 256) : thread;
        String text = "pid=" + pid + "\nhost=" + escape(host) + "\nthread=" + escape(shortThread) + "\nname="
                + escape(name) + "\nsince=";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static Optional<LockHolder> parse(byte[] content) {
        Map<String, String> fields = new HashMap<>();
        for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.put(line.substring(0, eq), unescape(line.substring(eq + 1)));
            }
        }
        String host = fields.get("host");
        if (host == null) {
            return Optional.empty(); // every writer records its host: foreign or torn content
        }
        try {
            long pid = Long.parseLong(fields.getOrDefault("pid", ""));
            Instant acquiredAt = Instant.parse(fields.getOrDefault("since", "")); // the file's key stays "since"
            return Optional.of(new LockHolder(pid, host, Optional.ofNullable(fields.get("thread")),
                    Optional.ofNullable(fields.get("name")), acquiredAt));
        } catch (NumberFormatException | DateTimeParseException e) {
            return Optional.empty(); // empty, foreign or torn content: no record
        }
    }

    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String unescape(String value) {
        if (value.indexOf('\\') < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                char next = value.charAt(i + 1);
                if (next == 'u' && i + 5 < value.length()) {
                    try {
                        out.append((char) Integer.parseInt(value.substring(i + 2, i + 6), 16));
                        i += 5;
                        continue;
                    } catch (NumberFormatException e) {
                        // keep it as written
                    }
                }
                out.append(next);
                i++;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
