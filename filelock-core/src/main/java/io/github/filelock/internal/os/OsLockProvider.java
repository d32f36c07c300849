package io.github.filelock.internal.os;

import io.github.filelock.LockMechanism;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** Opens lock files with one {@link LockMechanism}. */
public interface OsLockProvider {

    LockMechanism mechanism();

    /**
     * Opens the lock file, creating it with {@code permissions} when {@code create} is set. Refuses a
     * symbolic link or any other non-regular file at that path, without following or truncating it.
     *
     * @return the open file, or {@code null} when it does not exist and {@code create} is false
     */
    OsLockFile open(Path file, Set<PosixFilePermission> permissions, boolean create) throws IOException;
}
