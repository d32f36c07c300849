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
    FILE_CHANNEL,
    /**
     * Soft locks: the lock is the existence of a marker file ({@code O_CREAT|O_EXCL}), written as Python
     * filelock's {@code SoftFileLock} writes it. For NFS without lockd, SMB and FUSE file systems where flock is
     * missing or lies. Exclusive only; waiting polls; a holder refreshes its marker on a heartbeat, and a marker
     * whose holder is provably dead, or (from another host) not refreshed within the lease, is broken. Linux only.
     */
    SOFT,
    /**
     * A request, never reported by {@link FileLockRegistry#mechanism()}: {@link #FLOCK}, unless a probe at
     * {@code build()} finds that the directory's file system refuses flock (ENOLCK, EOPNOTSUPP, ENOSYS); then
     * {@link #SOFT}, with a WARN naming the mount.
     */
    AUTO
}
