package io.github.filelock.internal.posix;

import java.io.IOException;
import java.nio.file.Path;

/** A lock path holds something that must never be used as a lock file (a symlink, a FIFO, a directory). */
public final class LockFileRefusedException extends IOException {

    private static final long serialVersionUID = 1L;

    public LockFileRefusedException(Path file, String what) {
        super("Refusing to use " + file + " as a lock file: it is " + what + ". A lock file must be a regular"
                + " file; it was not followed, opened for writing or truncated. Remove it (it may have been"
                + " planted to redirect the lock) and try again.");
    }
}
