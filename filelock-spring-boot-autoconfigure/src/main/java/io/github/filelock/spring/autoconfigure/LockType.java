package io.github.filelock.spring.autoconfigure;

import io.github.filelock.LockMechanism;
import org.jspecify.annotations.Nullable;

/** The kind of lock for {@code filelock.type} and {@code filelock.locks.<name>.type}. */
public enum LockType {
    /**
     * Kernel locks: flock(2) on Linux and macOS (excludes flock(1) and Python's FileLock), FileChannel on Windows
     * or as {@code filelock.mechanism} forces. Freed by the kernel when a process dies.
     */
    FLOCK,
    /** Marker files as Python's SoftFileLock writes them, for NFS, SMB and FUSE mounts where flock lies. */
    SOFT,
    /** FLOCK, unless the lock directory's file system refuses flock; then SOFT, with a WARN naming the mount. */
    AUTO;

    /**
     * The core mechanism for this type; {@code forced} ({@code filelock.mechanism}) refines FLOCK only. FLOCK
     * without one is null, the platform's kernel lock, which the core never lets join soft state on the directory.
     */
    @Nullable LockMechanism mechanism(@Nullable LockMechanism forced) {
        return switch (this) {
            case FLOCK -> forced;
            case SOFT -> LockMechanism.SOFT;
            case AUTO -> LockMechanism.AUTO;
        };
    }
}
