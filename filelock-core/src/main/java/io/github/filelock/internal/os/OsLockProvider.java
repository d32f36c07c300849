package io.github.filelock.internal.os;

import io.github.filelock.LockHolder;
import io.github.filelock.LockMechanism;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;

/** Opens lock files with one {@link LockMechanism}. */
public interface OsLockProvider {

    LockMechanism mechanism();

    /**
     * Whether {@link OsLockFile#isUnlinked()} can tell that a lock file was deleted. Deleting idle lock files
     * is safe only where it can: otherwise a process could lock a deleted file while another locks its
     * replacement.
     */
    boolean detectsDeletedFiles();

    /**
     * Opens the lock file, creating it with {@code permissions} when {@code create} is set. Refuses a
     * symbolic link or any other non-regular file at that path, without following or truncating it.
     *
     * @return the open file, or {@code null} when it does not exist and {@code create} is false
     */
    OsLockFile open(Path file, Set<PosixFilePermission> permissions, boolean create) throws IOException;

    /**
     * True when the lock is the lock file's existence (soft markers): the kernel's lock table knows nothing of
     * it, and a file at the path means "held" (or stale).
     */
    default boolean lockIsFileExistence() {
        return false;
    }

    /** For existence locks: the holder the marker at {@code file} names, read without touching the lock. */
    default Optional<LockHolder> markerHolder(Path file, String lockName) throws IOException {
        return Optional.empty();
    }

    /** Holds this JVM found lost (a soft marker broken after its lease); kernel locks are never lost. */
    default long lostHolds() {
        return 0;
    }
}
