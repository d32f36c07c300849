package io.github.filelock;

import java.util.Locale;

/**
 * The type of a lock: what takes it across processes. Users choose it per registry (or per lock name, in Spring's
 * {@code filelock.locks.<name>.type}); {@link FileLockRegistry#type()} tells which one a registry uses. The code that
 * implements a type is its backend ({@link io.github.filelock.spi.LockBackend}).
 */
public enum LockType {
    /**
     * {@code flock(2)} through JNA (Linux, macOS). Interoperates with {@code flock(1)}, Python filelock and
     * the flock-based Go and Rust libraries.
     */
    FLOCK("flock"),
    /**
     * {@code FileChannel.lock()}: {@code LockFileEx} on Windows, POSIX {@code fcntl} record locks elsewhere.
     * On Linux it does not exclude flock holders. Used on Windows, and as a fallback when native access fails.
     */
    FILE_CHANNEL("file-channel"),
    /**
     * Soft locks: the lock is the existence of a marker file ({@code O_CREAT|O_EXCL}), written as Python
     * filelock's {@code SoftFileLock} writes it. For NFS without lockd, SMB and FUSE file systems where flock is
     * missing or lies. Exclusive only; waiting polls; a holder refreshes its marker on a heartbeat, and a marker
     * whose holder is provably dead, or (from another host) not refreshed within the lease, is broken. Linux only.
     */
    SOFT("soft"),
    /**
     * PostgreSQL session advisory locks, through the {@code filelock-postgres} module: a registry of this type is
     * built with {@link FileLockRegistry#builder(io.github.filelock.spi.LockBackend)}, not on a directory.
     */
    POSTGRES("postgres"),
    /**
     * Redis locks through Redisson, in the {@code filelock-redis} module: leases that Redisson's watchdog renews
     * while the holder runs. A registry of this type is built with
     * {@link FileLockRegistry#builder(io.github.filelock.spi.LockBackend)}, not on a directory.
     */
    REDIS("redis"),
    /**
     * A request, never reported by {@link FileLockRegistry#type()}: {@link #FLOCK}, unless a probe at
     * {@code build()} finds that the directory's file system refuses flock (ENOLCK, EOPNOTSUPP, ENOSYS); then
     * {@link #SOFT}, with a WARN naming the mount.
     */
    AUTO("auto");

    private final String id;

    LockType(String id) {
        this.id = id;
    }

    /** The type as configuration spells it and diagnostics show it: {@code flock}, {@code file-channel}, ... */
    public String id() {
        return id;
    }

    /**
     * The type whose {@link #id()} (or enum name, in any case) is {@code id}.
     *
     * @throws IllegalArgumentException naming the known types when there is none
     */
    public static LockType of(String id) {
        String wanted = id.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (LockType type : values()) {
            if (type.id.equals(wanted)) {
                return type;
            }
        }
        throw new IllegalArgumentException("Unknown lock type '" + id + "': use flock, file-channel, soft, postgres"
                + " or auto");
    }
}
