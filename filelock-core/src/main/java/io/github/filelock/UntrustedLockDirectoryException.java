package io.github.filelock;

import java.nio.file.Path;

/**
 * The lock directory, or one of its parents, can be controlled by someone other than this process's user, its
 * groups or root: they could hold, delete or replace its lock files and forge soft markers. Thrown by
 * {@code build()}; {@link FileLockRegistry.Builder#trustSharedDirectory(boolean)} opts out on file systems
 * whose permissions mean nothing.
 */
public class UntrustedLockDirectoryException extends FileLockException {

    private static final long serialVersionUID = 1L;

    private final transient Path directory;
    private final transient Path offendingPath;
    private final String problem;
    private final String remedy;

    public UntrustedLockDirectoryException(Path directory, Path offendingPath, String problem, String remedy) {
        super("Lock directory " + directory + " is not trusted: " + problem + ". " + remedy + " On a file system"
                + " without meaningful permissions (CIFS with dir_mode=0777, some FUSE file systems, NFS with squashed"
                + " owners) opt out with trustSharedDirectory(true), which gives up this protection.");
        this.directory = directory;
        this.offendingPath = offendingPath;
        this.problem = problem;
        this.remedy = remedy;
    }

    /** The lock directory as configured. */
    public Path directory() {
        return directory;
    }

    /** The directory or symlink that failed the check: the lock directory or one of its parents. */
    public Path offendingPath() {
        return offendingPath;
    }

    /** Which path broke which rule, such as "/tmp/x is writable by every user and not sticky". */
    public String problem() {
        return problem;
    }

    /** What to change, such as "Run chmod o-w /tmp/x, or choose a directory only this user can write." */
    public String remedy() {
        return remedy;
    }
}
