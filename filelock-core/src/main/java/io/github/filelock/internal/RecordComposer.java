package io.github.filelock.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Builds holder records on the acquire path without formatting them from scratch: the part that only
 * depends on the thread and lock name is kept per thread, the date-time to the second is kept per second,
 * and the bytes are composed into one buffer per thread. Uncontended acquires are dominated by this work
 * otherwise (a {@code DateTimeFormatter} and a dozen strings per call).
 */
final class RecordComposer {

    private static final ThreadLocal<RecordComposer> PER_THREAD = ThreadLocal.withInitial(RecordComposer::new);
    private static volatile SecondStamp second = new SecondStamp(Long.MIN_VALUE, new byte[0]);

    private String threadName;
    private String lockName;
    private byte[] prefix;
    private byte[] buffer = new byte[256];
    private int length;

    static RecordComposer forCurrentThread() {
        return PER_THREAD.get();
    }

    /** Composes the record; {@link #bytes()} and {@link #length()} then describe it until the next call. */
    RecordComposer compose(String thread, String name, Instant since) {
        if (!thread.equals(threadName) || !name.equals(lockName)) {
            threadName = thread;
            lockName = name;
            prefix = HolderRecord.prefix(ProcessIdentity.PID, ProcessIdentity.HOST, thread, name);
        }
        byte[] date = secondStamp(since.getEpochSecond());
        int needed = prefix.length + date.length + 6;
        if (buffer.length < needed) {
            buffer = new byte[needed * 2];
        }
        System.arraycopy(prefix, 0, buffer, 0, prefix.length);
        int at = prefix.length;
        System.arraycopy(date, 0, buffer, at, date.length);
        at += date.length;
        int millis = since.getNano() / 1_000_000;
        if (millis != 0 || since.getNano() != 0) { // as Instant.toString prints a millisecond instant
            buffer[at++] = '.';
            buffer[at++] = (byte) ('0' + millis / 100);
            buffer[at++] = (byte) ('0' + millis / 10 % 10);
            buffer[at++] = (byte) ('0' + millis % 10);
        }
        buffer[at++] = 'Z';
        buffer[at++] = '\n';
        length = at;
        return this;
    }

    /**
     * Links what composing needs (the prefix's string concatenation, {@code java.time}) ahead of the first holder,
     * without a composer for the calling thread (see {@link Preload}).
     */
    static void prepare(Instant now) {
        HolderRecord.prefix(ProcessIdentity.PID, ProcessIdentity.HOST, "", "");
        secondStamp(now.getEpochSecond());
    }

    byte[] bytes() {
        return buffer;
    }

    int length() {
        return length;
    }

    private static byte[] secondStamp(long epochSecond) {
        SecondStamp current = second;
        if (current.epochSecond != epochSecond) {
            String text = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC).toString();
            if (text.length() == 16) {
                text += ":00"; // LocalDateTime omits zero seconds; Instant.toString does not
            }
            current = new SecondStamp(epochSecond, text.getBytes(StandardCharsets.US_ASCII));
            second = current;
        }
        return current.bytes;
    }

    private record SecondStamp(long epochSecond, byte[] bytes) {
    }
}
