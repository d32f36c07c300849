package io.github.filelock.internal;

import io.github.filelock.LockHolder;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;

/**
 * Writes holder records into one lock file, for a file backend's slot. The record is diagnostics, so a write that
 * fails (a full disk, a quota) never costs the lock: the file is emptied, so that no earlier holder's record stands
 * in, and a WARN says why, once per writer. Not thread-safe: the engine serialises a slot's calls.
 *
 * <p>A record that would differ from the one in the file only by its acquired-at is not written again while the
 * file still holds ours (nobody wrote since, {@link KernelLockFile#unchangedSinceWrite}) and ours is less than
 * {@link #STALE_MILLIS} old: a thread that retakes a lock at a high rate pays the {@code pwrite} about once a
 * second, and a reader sees an acquired-at at most that much earlier than the real one.
 */
public final class HolderRecordWriter {

    /** How much older than the real acquisition the acquired-at of a record may be. */
    static final long STALE_MILLIS = 1000;

    private final Path file;
    private boolean warned;
    private String writtenThread; // holder of the record last written through this writer; null: none
    private String writtenName;
    private long writtenMillis;

    public HolderRecordWriter(Path file) {
        this.file = file;
    }

    public void write(LockHolder holder, KernelLockFile sink) {
        String thread = holder.thread().orElse("");
        String name = holder.name().orElse("");
        long millis = holder.acquiredAt().toEpochMilli();
        if (thread.equals(writtenThread) && name.equals(writtenName) && millis - writtenMillis < STALE_MILLIS
                && millis >= writtenMillis && sink.unchangedSinceWrite()) {
            return; // the file says the same but for a recent acquired-at
        }
        writtenThread = null;
        RecordComposer record = RecordComposer.forCurrentThread().compose(thread, name, holder.acquiredAt());
        try {
            sink.write(record.bytes(), record.length());
            writtenThread = thread;
            writtenName = name;
            writtenMillis = millis;
        } catch (IOException e) {
            try {
                sink.write(record.bytes(), 0);
            } catch (IOException ignored) {
                // nothing more to do: readers check the record's pid against the kernel's holder
            }
            if (!warned) {
                warned = true;
                Log.LOGGER.log(Level.WARNING, "The holder record of lock file " + file + " could not be written, so"
                        + " inspect() and cat show no holder for it; the lock itself is held as usual. Cause: "
                        + e.getMessage() + ". Free space (or quota) on its file system to get records back. Said once"
                        + " per open file.");
            }
        }
    }
}
