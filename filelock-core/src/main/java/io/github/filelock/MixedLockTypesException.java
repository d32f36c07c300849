package io.github.filelock;

import java.nio.file.Path;

/**
 * Thrown by {@code build()} when a registry's lock type cannot share its directory with the type this JVM already
 * uses there, such as SOFT beside FILE_CHANNEL on Linux or macOS: a soft registry opens and closes every lock file it
 * inspects, and closing any descriptor of a file drops the process's fcntl (FILE_CHANNEL) locks on it.
 */
public class MixedLockTypesException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient Path directory;
    private final LockType inUse;
    private final LockType requested;

    public MixedLockTypesException(Path directory, LockType inUse, LockType requested, String message) {
        super(message);
        this.directory = directory;
        this.inUse = inUse;
        this.requested = requested;
    }

    /** The lock directory (its real path). */
    public Path directory() {
        return directory;
    }

    /** The type this JVM already uses on the directory. */
    public LockType inUse() {
        return inUse;
    }

    /** The type of the registry that was refused. */
    public LockType requested() {
        return requested;
    }
}
