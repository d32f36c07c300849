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
    FLOCK("flock", true),
    /**
     * {@code FileChannel.lock()}: {@code LockFileEx} on Windows, POSIX {@code fcntl} record locks elsewhere.
     * On Linux it does not exclude flock holders. Used on Windows, and as a fallback when native access fails.
     */
    FILE_CHANNEL("file-channel", true),
    /**
     * Soft locks: the lock is the existence of a marker file ({@code O_CREAT|O_EXCL}), with the contract of Python
     * filelock's {@code SoftFileLock}. For NFS without lockd, SMB and FUSE file systems where flock is missing or
     * lies. Exclusive only; waiting polls. A marker is broken only when its holder on this host is provably dead;
     * another host's marker stays until its holder removes it or an operator breaks it. Linux only.
     */
    SOFT("soft"),
    /**
     * Soft leases: a marker file written as Python filelock's {@code SoftFileLease} writes it (protocol 2,
     * {@code filelock/2}, {@code mode=lease}), refreshed by a heartbeat. A marker whose owner is provably dead, or
     * whose lease (as written in it) ran out, is broken; so a holder that stalls past its lease loses the lock and
     * learns it ({@link FileLockHold#isValid()}). Every contender must use the same lease. Exclusive only. Linux only.
     */
    SOFT_LEASE("soft-lease"),
    /**
     * Strict soft locks, as Python filelock's {@code StrictSoftFileLock} takes them: a permanent sentinel at the lock
     * path and immutable owner claims, published by hard link, under {@code <path>.filelock/claims}. Never broken by
     * age or by a guess that the holder died: a crashed holder's claim stays until an operator breaks it. Exclusive
     * only; waiting polls. Linux only.
     */
    STRICT_SOFT("strict-soft"),
    /**
     * PostgreSQL session advisory locks, through the {@code filelock-postgres} module: a registry of this type is
     * built with {@link FileLockRegistry#builder(io.github.filelock.spi.LockBackend)}, not on a directory.
     */
    POSTGRES("postgres", true),
    /**
     * Redis locks through Redisson, in the {@code filelock-redis} module: leases that Redisson's watchdog renews
     * while the holder runs. A registry of this type is built with
     * {@link FileLockRegistry#builder(io.github.filelock.spi.LockBackend)}, not on a directory.
     */
    REDIS("redis", true),
    /**
     * A request, never reported by {@link FileLockRegistry#type()}: {@link #FLOCK}, unless a probe at
     * {@code build()} finds that the directory's file system refuses flock (ENOLCK, EOPNOTSUPP, ENOSYS); then
     * {@link #SOFT}, with a WARN naming the mount.
     */
    AUTO("auto", true),
    /**
     * Read/write soft locks, as Python filelock's {@code SoftReadWriteLock}: SHARED is a read lock (one marker per
     * reader under {@code <lock>.readers/}), EXCLUSIVE a write lock ({@code <lock>.write}), writer-preferring. Every
     * holder refreshes its marker on a heartbeat; a marker not refreshed within the stale threshold is evicted, on
     * any host. Linux only.
     */
    SOFT_RW("soft-rw", true);

    private final String id;
    private final boolean shared;

    /** A type that takes EXCLUSIVE locks only: a type supports SHARED only where it says so. */
    LockType(String id) {
        this(id, false);
    }

    LockType(String id, boolean shared) {
        this.id = id;
        this.shared = shared;
    }

    /**
     * Whether locks of this type can be taken SHARED. False for the soft types that keep a single marker (a marker
     * cannot count readers): they refuse SHARED, and {@link #SOFT_RW} is their read/write counterpart. True for
     * {@link #AUTO}, which refuses SHARED only if it resolves to {@link #SOFT}.
     */
    public boolean supportsShared() {
        return shared;
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
        throw new IllegalArgumentException("Unknown lock type '" + id + "': use flock, file-channel, soft, soft-lease,"
                + " strict-soft, soft-rw, postgres, redis or auto");
    }
}
