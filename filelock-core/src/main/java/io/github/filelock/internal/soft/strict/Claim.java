package io.github.filelock.internal.soft.strict;

import io.github.filelock.LockHolder;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One published claim and the owner its record names. The record is exact ASCII, five lines:
 * {@code filelock-strict-v1}, the token, the pid, the host name as hex of its UTF-8 bytes, and the process start
 * token (empty when the writer had none). Parsing is as strict as Python filelock's: any other byte makes the claim
 * malformed, and a malformed claim blocks, it is never ignored or removed.
 *
 * @param since when the claim file was created, where the file system records it, else its mtime
 */
record Claim(ClaimName name, long pid, String host, Optional<BigInteger> start, Instant since) {

    static final String MAGIC = "filelock-strict-v1";
    /** Python reads at most this many bytes of a claim; a longer one is unreadable, so it blocks. */
    static final int RECORD_LIMIT = 1024;
    private static final Pattern PID = Pattern.compile("[1-9][0-9]{0,9}");
    private static final Pattern START = Pattern.compile("0|[1-9][0-9]*");
    private static final Pattern HEX = Pattern.compile("([0-9a-f]{2})*");

    /** The record this process publishes for {@code token}. */
    static byte[] record(String token, long pid, String host, Optional<BigInteger> start) {
        String hostHex = HexFormat.of().formatHex(recordable(host).getBytes(StandardCharsets.UTF_8));
        return (MAGIC + "\n" + token + "\n" + pid + "\n" + hostHex + "\n" + start.map(BigInteger::toString).orElse("")
                + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The claim a record names.
     *
     * @throws StrictProtocolException naming the claim when the record is not exactly what the protocol writes
     */
    static Claim parse(Path lockFile, ClaimName name, byte[] record, Instant since) throws StrictProtocolException {
        String[] lines = ascii(record).split("\n", -1);
        if (lines.length != 6 || !lines[5].isEmpty() || !lines[0].equals(MAGIC) || !lines[1].equals(name.token())
                || !PID.matcher(lines[2]).matches() || !HEX.matcher(lines[3]).matches()
                || !(lines[4].isEmpty() || START.matcher(lines[4]).matches())) {
            throw malformed(lockFile, name);
        }
        long pid = Long.parseLong(lines[2]);
        String host = utf8(HexFormat.of().parseHex(lines[3]));
        if (pid > Integer.MAX_VALUE || host == null || !printableWithoutSpace(host)) {
            throw malformed(lockFile, name);
        }
        Optional<BigInteger> start = lines[4].isEmpty() ? Optional.empty() : Optional.of(new BigInteger(lines[4]));
        return new Claim(name, pid, host, start, since);
    }

    LockHolder holder(String key) {
        return new LockHolder(pid, host, Optional.empty(), Optional.of(key), since);
    }

    String describe() {
        return "pid " + pid + " on " + host + " (token " + name.token() + ")";
    }

    private static StrictProtocolException malformed(Path lockFile, ClaimName name) {
        return new StrictProtocolException(lockFile, name.fileName(), "malformed claim record");
    }

    // Any byte outside ASCII makes the record malformed: Python decodes it as ASCII.
    private static String ascii(byte[] record) {
        for (byte b : record) {
            if (b < 0) {
                return "";
            }
        }
        return new String(record, StandardCharsets.US_ASCII);
    }

    private static @Nullable String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * Linux accepts any bytes as a host name, but a claim whose host is not printable or has white space is malformed
     * to every reader, its writer included, so no strict lock could be taken on such a host: each such character is
     * written as {@code ?}. The host in a claim only tells an operator whose it is.
     */
    static String recordable(String host) {
        StringBuilder field = new StringBuilder(host.length());
        host.codePoints().forEach(c -> field.appendCodePoint(printableWithoutSpace(c) ? c : '?'));
        return field.toString();
    }

    private static boolean printableWithoutSpace(String host) {
        return host.codePoints().allMatch(Claim::printableWithoutSpace);
    }

    // Python's str.isprintable() and "no character isspace()": no control, format, private, unassigned or
    // separator characters.
    private static boolean printableWithoutSpace(int c) {
        int type = Character.getType(c);
        return type != Character.CONTROL && type != Character.FORMAT && type != Character.SURROGATE
                && type != Character.PRIVATE_USE && type != Character.UNASSIGNED
                && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR
                && type != Character.SPACE_SEPARATOR && !Character.isWhitespace(c);
    }
}
