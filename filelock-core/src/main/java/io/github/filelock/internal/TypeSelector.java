package io.github.filelock.internal;

import io.github.filelock.LockType;
import io.github.filelock.internal.channel.ChannelBackend;
import io.github.filelock.internal.flock.FlockBackend;
import io.github.filelock.internal.flock.FlockProbe;
import io.github.filelock.internal.soft.SoftBackend;
import io.github.filelock.internal.soft.lease.LeaseBackend;
import io.github.filelock.internal.soft.rw.RwBackend;
import io.github.filelock.internal.soft.strict.StrictBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** Chooses the file backend for a requested type: flock where it exists, FileChannel elsewhere or as a fallback. */
public final class TypeSelector {

    /**
     * What a soft (or auto) registry needs to build its backend.
     *
     * @param pollInterval how often a waiting soft lock retries, for every soft type
     * @param staleThreshold how long a soft-rw marker may go unrefreshed before anyone evicts it
     */
    public record SoftSettings(Duration heartbeat, Duration lease, Duration pollInterval, Duration staleThreshold) {
    }

    private TypeSelector() {
    }

    /**
     * The backend for {@code requested}; AUTO (or null) probes the directory for flock.
     *
     * @param fallbackAllowed whether an unset or AUTO type may fall back to FileChannel locks when native flock cannot
     *     be loaded; if not, that is an {@link UnsupportedOperationException}
     */
    public static FileBackend select(LockType requested, FileSettings files, SoftSettings soft,
            boolean fallbackAllowed) {
        if (requested == LockType.FILE_CHANNEL) {
            return new ChannelBackend(files);
        }
        if (requested == LockType.FLOCK) {
            return FlockBackend.load(files);
        }
        if (requested == LockType.SOFT) {
            return new SoftBackend(files, soft.pollInterval());
        }
        if (requested == LockType.STRICT_SOFT) {
            return new StrictBackend(files, soft.pollInterval());
        }
        if (requested == LockType.SOFT_RW) {
            return new RwBackend(files, soft.heartbeat(), soft.staleThreshold(), soft.pollInterval());
        }
        if (requested == LockType.SOFT_LEASE) {
            return new LeaseBackend(files, soft.heartbeat(), soft.lease(), soft.pollInterval());
        }
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
            return new ChannelBackend(files); // LockFileEx: Windows' own lock
        }
        FlockBackend flock;
        try {
            TestHooks.reach("TypeSelector.loadFlock", files.directory()); // a test may make loading fail here
            flock = FlockBackend.load(files);
        } catch (UnsupportedOperationException | LinkageError e) {
            if (!fallbackAllowed) {
                throw new UnsupportedOperationException("Native flock(2) is unavailable (" + e.getMessage() + "), and"
                        + " the fallback to FileChannel locks is refused: those are fcntl record locks, which"
                        + " flock(1), Python filelock and other flock users of the same lock files do not see.", e);
            }
            Log.LOGGER.log(Level.WARNING, "Native flock(2) is unavailable (" + e.getMessage() + "); falling back to"
                    + " FileChannel locks. These are fcntl record locks: they still exclude other JVMs that use this"
                    + " library, but they no longer exclude flock(1), Python filelock or other flock users of the same"
                    + " lock files.");
            return new ChannelBackend(files);
        }
        return requested == LockType.AUTO ? flockOrSoft(flock, files, soft) : flock;
    }

    private static FileBackend flockOrSoft(FlockBackend flock, FileSettings files, SoftSettings soft) {
        Path directory = files.directory();
        Optional<String> refusal;
        try {
            refusal = FlockProbe.refusal(flock);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot probe lock directory " + directory + " for flock(2) support: "
                    + e.getMessage(), e);
        }
        if (refusal.isEmpty()) {
            return flock;
        }
        String mount = MountInfo.of(directory).map(MountInfo::describe).orElse("an unknown mount");
        Log.LOGGER.log(Level.WARNING, "The file system of lock directory " + directory + ", mounted at " + mount
                + ", refuses flock(2): " + refusal.get() + ". Falling back to SOFT locks (marker files, polled every "
                + soft.pollInterval().toMillis() + " ms, a marker broken only when its holder on this host is dead)."
                + " They do not exclude flock(1) or Python's FileLock, only soft-lock users of the same files.");
        return new SoftBackend(files, soft.pollInterval());
    }
}
