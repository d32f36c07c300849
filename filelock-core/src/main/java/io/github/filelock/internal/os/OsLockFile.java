package io.github.filelock.internal.os;

import io.github.filelock.LockMode;
import java.io.Closeable;
import java.io.IOException;

/**
 * One open lock file, held through one OS handle. Every read and write of the file goes through this
 * handle: with fcntl-style locks, opening and closing a second descriptor of the same file in the same
 * process would silently drop the lock.
 *
 * <p>Not thread-safe: the owning {@code LockFileEntry} serialises calls, except that {@link #lock} may
 * block in one thread while another thread does nothing else with the handle.
 */
public interface OsLockFile extends Closeable {

    /** One non-blocking attempt. */
    boolean tryLock(LockMode mode) throws IOException;

    /** Blocks until the OS grants the lock. Never called on the caller's thread, so it need not be interruptible. */
    void lock(LockMode mode) throws IOException;

    void unlock() throws IOException;

    /**
     * True when the file this handle refers to is no longer the file at its path: another process deleted an idle
     * lock file, or it was renamed away or replaced (its link count may still be above 0). A lock taken on such a
     * file excludes nobody who opens the path now, so the caller reopens.
     */
    boolean isUnlinked() throws IOException;

    /** Replaces the file's content with the first {@code length} bytes of {@code content}, through this handle. */
    void writeContent(byte[] content, int length) throws IOException;

    /** Reads up to {@code max} bytes from the start of the file, through this handle. */
    byte[] readContent(int max) throws IOException;

    /** Deletes the file by path. Call only while holding the lock. */
    void unlinkPath() throws IOException;
}
