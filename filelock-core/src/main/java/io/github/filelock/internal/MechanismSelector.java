package io.github.filelock.internal;

import io.github.filelock.LockMechanism;
import io.github.filelock.internal.os.ChannelLockProvider;
import io.github.filelock.internal.os.FlockLockProvider;
import io.github.filelock.internal.os.OsLockProvider;
import io.github.filelock.internal.soft.SoftLockProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Chooses the OS lock mechanism: flock where it exists, FileChannel elsewhere or when native access fails. */
public final class MechanismSelector {

    /** What a soft (or auto) registry needs to build its provider. */
    public record SoftSettings(Duration heartbeat, Duration lease) {
    }

    private MechanismSelector() {
    }

    /**
     * The provider for {@code requested}; AUTO (or null) probes {@code directory} for flock.
     *
     * @param fallbackAllowed whether an unset or AUTO mechanism may fall back to FileChannel locks when native
     *     flock cannot be loaded; if not, that is an {@link UnsupportedOperationException}
     */
    public static OsLockProvider select(LockMechanism requested, Path directory, Set<PosixFilePermission> permissions,
            SoftSettings soft, boolean fallbackAllowed) {
        if (requested == LockMechanism.FILE_CHANNEL) {
            return new ChannelLockProvider();
        }
        if (requested == LockMechanism.FLOCK) {
            return FlockLockProvider.load();
        }
        if (requested == LockMechanism.SOFT) {
            return new SoftLockProvider(soft.heartbeat(), soft.lease());
        }
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
            return new ChannelLockProvider(); // LockFileEx: Windows' own mechanism
        }
        FlockLockProvider flock;
        try {
            TestHooks.reach("MechanismSelector.loadFlock", directory); // a test may make loading fail here
            flock = FlockLockProvider.load();
        } catch (UnsupportedOperationException | LinkageError e) {
            if (!fallbackAllowed) {
                throw new UnsupportedOperationException("Native flock(2) is unavailable (" + e.getMessage() + "), and"
                        + " the fallback to FileChannel locks is refused: those are fcntl record locks, which"
                        + " flock(1), Python filelock and other flock users of the same lock files do not see.", e);
            }
            LockDirectory.LOG.log(Level.WARNING, "Native flock(2) is unavailable (" + e.getMessage() + "); falling"
                    + " back to FileChannel locks. These are fcntl record locks: they still exclude other JVMs that"
                    + " use this library, but they no longer exclude flock(1), Python filelock or other flock users"
                    + " of the same lock files.");
            return new ChannelLockProvider();
        }
        return requested == LockMechanism.AUTO ? flockOrSoft(flock, directory, permissions, soft) : flock;
    }

    private static OsLockProvider flockOrSoft(FlockLockProvider flock, Path directory,
            Set<PosixFilePermission> permissions, SoftSettings soft) {
        Optional<String> refusal;
        try {
            refusal = FlockProbe.refusal(flock, directory, permissions);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot probe lock directory " + directory + " for flock(2) support: "
                    + e.getMessage(), e);
        }
        if (refusal.isEmpty()) {
            return flock;
        }
        String mount = MountInfo.of(directory).map(MountInfo::describe).orElse("an unknown mount");
        LockDirectory.LOG.log(Level.WARNING, "The file system of lock directory " + directory + ", mounted at "
                + mount + ", refuses flock(2): " + refusal.get() + ". Falling back to SOFT locks (marker files,"
                + " polled, stale markers broken by pid or after a lease of " + soft.lease().toMillis() + " ms)."
                + " They do not exclude flock(1) or Python's FileLock, only soft-lock users of the same files.");
        return new SoftLockProvider(soft.heartbeat(), soft.lease());
    }
}
