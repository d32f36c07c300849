package io.github.filelock.internal;

import io.github.filelock.LockHolder;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;

/**
 * Writes holder records into one lock file, for a file backend's slot. The record is diagnostics, so a write that
 * fails (a full disk, a quota) never costs the lock: the file is emptied, so that no earlier holder's record stands
 * in, and a WARN says why, once per writer. Not thread-safe: the engine serialises a slot's calls.
 */
public final class HolderRecordWriter {

    /** Replaces the file's content with the first {@code length} bytes of {@code content}. */
    public interface Sink {
        void write(byte[] content, int length) throws IOException;
    }

    private final Path file;
    private boolean warned;

    public HolderRecordWriter(Path file) {
        this.file = file;
    }

    public void write(LockHolder holder, Sink sink) {
        RecordComposer record = RecordComposer.forCurrentThread().compose(holder.thread().orElse(""),
                holder.name().orElse(""),
                holder.acquiredAt());
        try {
            sink.write(record.bytes(), record.length());
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
