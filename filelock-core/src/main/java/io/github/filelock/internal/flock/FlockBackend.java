package io.github.filelock.internal.flock;

import io.github.filelock.LockHolder;
import io.github.filelock.LockMode;
import io.github.filelock.LockType;
import io.github.filelock.internal.FileBackend;
import io.github.filelock.internal.FileSettings;
import io.github.filelock.internal.HolderRecord;
import io.github.filelock.internal.KernelLocks;
import io.github.filelock.internal.ProcessIdentity;
import io.github.filelock.internal.posix.LibC;
import io.github.filelock.internal.posix.Platform;
import io.github.filelock.spi.LockSlot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code flock(2)} on Linux and macOS, through JNA. These locks belong to the open file description, so unlike fcntl
 * locks they are not dropped when some other descriptor of the same file is closed, and they interoperate with
 * {@code flock(1)}, Python filelock and the flock-based Go and Rust libraries.
 */
public final class FlockBackend extends FileBackend {

    private final Platform platform;

    private FlockBackend(Platform platform, FileSettings settings) {
        super(settings);
        this.platform = platform;
    }

    /**
     * Loads native access for this platform.
     *
     * @throws UnsupportedOperationException with the reason, when flock cannot be used here
     * @throws IllegalStateException when idle files are to be deleted on a platform that cannot tell a deleted file
     */
    public static FlockBackend load(FileSettings settings) {
        Platform platform = Platform.current();
        if (platform == null) {
            throw new UnsupportedOperationException("no flock(2) binding for " + System.getProperty("os.name")
                    + " on " + System.getProperty("os.arch"));
        }
        try {
            LibC.load();
        } catch (LinkageError e) {
            throw new UnsupportedOperationException("JNA could not load libc: " + e, e);
        }
        if (settings.deleteIdleFiles() && !platform.linux()) {
            throw new IllegalStateException("deleteIdleLockFiles cannot be used with FLOCK locks here: this platform"
                    + " cannot tell that a lock file was deleted under a holder (no statx). Keep lock files (the"
                    + " default).");
        }
        return new FlockBackend(platform, settings);
    }

    @Override
    public String type() {
        return LockType.FLOCK.id();
    }

    /** flock locks belong to their open file description: two slots of one file exclude each other. */
    @Override
    public boolean independentSlots() {
        return true;
    }

    /** Kept in a {@code .fence} file beside each lock file (see {@code FenceFile}). */
    @Override
    public boolean supportsFencingTokens() {
        return true;
    }

    @Override
    public LockSlot openSlot(String key, Runnable onLoss) {
        return new FlockSlot(this, fileOf(key));
    }

    FlockFile open(Path file, boolean create) throws IOException {
        return FlockFile.open(platform, file, settings.modeBits(), create);
    }

    /**
     * Held elsewhere: on Linux the kernel's lock table says so, and by which pid (read once for all {@code keys});
     * elsewhere one shared attempt on a descriptor of our own, let go at once. The holder record is believed only
     * when its pid is the kernel's: otherwise it is a previous holder's, and the current one wrote none.
     */
    @Override
    public List<Elsewhere> inspectElsewhere(List<String> keys) throws IOException {
        KernelLocks kernel = KernelLocks.available() ? KernelLocks.read() : null;
        List<Elsewhere> found = new ArrayList<>(keys.size());
        for (String key : keys) {
            found.add(inspect(fileOf(key), kernel));
        }
        return found;
    }

    private Elsewhere inspect(Path file, KernelLocks kernel) throws IOException {
        try (FlockFile reading = open(file, false)) {
            if (reading == null) {
                return new Elsewhere(false, Optional.empty(), Optional.empty());
            }
            OptionalLong pid = kernel != null ? kernel.holderOf(file) : OptionalLong.empty();
            boolean held = kernel != null ? pid.isPresent() && pid.getAsLong() != ProcessIdentity.PID
                    : probeHeld(reading);
            if (!held) {
                return new Elsewhere(false, Optional.empty(), Optional.empty());
            }
            Optional<LockHolder> record = HolderRecord.parse(reading.read(HolderRecord.MAX_BYTES));
            if (pid.isPresent() && pid.getAsLong() > 0 && record.map(r -> r.pid() != pid.getAsLong()).orElse(false)) {
                record = Optional.empty();
            }
            return new Elsewhere(true, record, pid.isPresent() ? Optional.of(pid.getAsLong()) : Optional.empty());
        }
    }

    // A descriptor of our own holds only its own lock: trying it and letting go disturbs no holder in this JVM.
    private static boolean probeHeld(FlockFile reading) throws IOException {
        if (reading.tryLock(LockMode.SHARED)) {
            reading.unlock();
            return false;
        }
        return true;
    }

    @Override
    protected Optional<String> recordedName(Path file) throws IOException {
        try (FlockFile reading = open(file, false)) {
            return reading == null ? Optional.empty()
                    : HolderRecord.parse(reading.read(HolderRecord.MAX_BYTES)).flatMap(LockHolder::name);
        }
    }
}
