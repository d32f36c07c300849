package io.github.filelock.internal;

import io.github.filelock.LockMechanism;
import io.github.filelock.internal.os.ChannelLockProvider;
import io.github.filelock.internal.os.FlockLockProvider;
import io.github.filelock.internal.os.OsLockProvider;
import java.lang.System.Logger.Level;
import java.util.Locale;

/** Chooses the OS lock mechanism: flock where it exists, FileChannel elsewhere or when native access fails. */
public final class MechanismSelector {

    private MechanismSelector() {
    }

    public static OsLockProvider select(LockMechanism requested) {
        if (requested == LockMechanism.FILE_CHANNEL) {
            return new ChannelLockProvider();
        }
        if (requested == LockMechanism.FLOCK) {
            return FlockLockProvider.load();
        }
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
            return new ChannelLockProvider(); // LockFileEx: Windows' own mechanism
        }
        try {
            return FlockLockProvider.load();
        } catch (UnsupportedOperationException | LinkageError e) {
            LockDirectory.LOG.log(Level.WARNING, "Native flock(2) is unavailable (" + e.getMessage() + "); falling"
                    + " back to FileChannel locks. These are fcntl record locks: they still exclude other JVMs that"
                    + " use this library, but they no longer exclude flock(1), Python filelock or other flock users"
                    + " of the same lock files.");
            return new ChannelLockProvider();
        }
    }
}
