package io.github.filelock;

/** How the OS lock is taken. {@link FileLockRegistry#mechanism()} tells which one a registry uses. */
public enum LockMechanism {
    /**
     * {@code flock(2)} through JNA (Linux, macOS). Interoperates with {@code flock(1)}, Python filelock and
     * the flock-based Go and Rust libraries.
     */
    FLOCK,
    /**
     * {@code FileChannel.lock()}: {@code LockFileEx} on Windows, POSIX {@code fcntl} record locks elsewhere.
     * On Linux it does not exclude flock holders. Used on Windows, and as a fallback when native access fails.
     */
    FILE_CHANNEL
}
