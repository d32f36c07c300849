package io.github.filelock;

import java.nio.file.Path;
import java.time.Instant;

/**
 * One hold of a named lock, taken by {@link FileLockRegistry#acquire}. Closing it releases this one hold;
 * the lock itself is released when the owning thread's last hold is closed. Closing twice is a no-op.
 * Only the thread that took the hold may close it.
 */
public interface FileLockHold extends AutoCloseable {

    /** The lock name as given by the caller. */
    String name();

    /** The lock file inside the lock directory. */
    Path file();

    /** When this JVM took the OS lock for the current owner (not when this nested hold was taken). */
    Instant acquiredAt();

    /** The lock mode of this hold. */
    LockMode mode();

    /** True until this hold is closed, or its thread's holds were released through the {@code Lock} view. */
    boolean isOpen();

    /**
     * Releases this hold.
     *
     * @throws IllegalMonitorStateException if called by a thread that does not own the lock, or when the
     *     thread's holds were already released another way ({@code obtain(name).unlock()}); nothing changes
     */
    @Override
    void close();
}
