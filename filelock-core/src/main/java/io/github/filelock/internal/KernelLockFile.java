package io.github.filelock.internal;

import io.github.filelock.LockMode;
import java.io.IOException;

/**
 * A lock file open for a kernel lock (flock or fcntl/LockFileEx): what {@link KernelLockSlot} and
 * {@link KernelFileBackend} need of it. How it blocks, and who closes it, stay with each backend.
 */
public interface KernelLockFile {

    /** One attempt that does not block. */
    boolean tryLock(LockMode mode) throws IOException;

    void unlock() throws IOException;

    /** True when the path no longer names the file this descriptor has open (deleted, renamed away or over). */
    boolean isUnlinked() throws IOException;

    /** Deletes the file by path. Call only while holding the lock. */
    void unlinkPath() throws IOException;

    /**
     * Whether the file is known to hold exactly what the last {@link #write} of this object wrote, as seen by the
     * last {@link #isUnlinked} check; false when not known (the default).
     */
    default boolean unchangedSinceWrite() {
        return false;
    }

    /** Replaces the file's content with the first {@code length} bytes of {@code content}. */
    void write(byte[] content, int length) throws IOException;

    /** Reads up to {@code max} bytes from the start of the file. */
    byte[] read(int max) throws IOException;
}
