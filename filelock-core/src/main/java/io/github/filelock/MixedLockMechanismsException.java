package io.github.filelock;

import java.nio.file.Path;

/**
 * Thrown by {@code build()} when a registry's lock mechanism cannot share its directory with the one this JVM
 * already uses there, such as SOFT beside FILE_CHANNEL on Linux or macOS: a soft registry opens and closes every
 * lock file it inspects, and closing any descriptor of a file drops the process's fcntl (FILE_CHANNEL) locks on it.
 */
public class MixedLockMechanismsException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient Path directory;
    private final LockMechanism inUse;
    private final LockMechanism requested;

    public MixedLockMechanismsException(Path directory, LockMechanism inUse, LockMechanism requested, String message) {
        super(message);
        this.directory = directory;
        this.inUse = inUse;
        this.requested = requested;
    }

    /** The lock directory (its real path). */
    public Path directory() {
        return directory;
    }

    /** The mechanism this JVM already uses on the directory. */
    public LockMechanism inUse() {
        return inUse;
    }

    /** The mechanism of the registry that was refused. */
    public LockMechanism requested() {
        return requested;
    }
}
