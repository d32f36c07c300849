package io.github.filelock.internal.flock;

import io.github.filelock.LockMode;
import io.github.filelock.LockType;
import io.github.filelock.internal.FileSettings;
import io.github.filelock.internal.KernelFileBackend;
import io.github.filelock.internal.KernelLocks;
import io.github.filelock.internal.MountInfo;
import io.github.filelock.internal.Preload;
import io.github.filelock.internal.posix.InterruptSignal;
import io.github.filelock.internal.posix.LibC;
import io.github.filelock.internal.posix.Platform;
import io.github.filelock.spi.LockSlot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * {@code flock(2)} on Linux and macOS, through JNA. These locks belong to the open file description, so unlike fcntl
 * locks they are not dropped when some other descriptor of the same file is closed, and they interoperate with
 * {@code flock(1)}, Python filelock and the flock-based Go and Rust libraries.
 */
public final class FlockBackend extends KernelFileBackend {

    // "false" turns off waits in the caller's thread: every blocking wait then takes a helper thread, as before.
    private static final boolean CALLER_WAITS = !"false".equals(System.getProperty("filelock.flock.callerWaits"));
    private static volatile InterruptSignal signalForTests; // replaces the check's result in tests

    // File systems whose flock is the kernel's local lock code, which a signal interrupts (see kernelLocksHere).
    private static final Set<String> LOCAL_FILE_SYSTEMS = Set.of("ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs",
            "ramfs", "overlay", "zfs", "f2fs", "bcachefs", "jfs", "reiserfs");

    private final Platform platform;
    private volatile Boolean kernelLocks; // the directory's file system is in LOCAL_FILE_SYSTEMS; null until asked

    private FlockBackend(Platform platform, FileSettings settings) {
        super(settings);
        this.platform = platform;
        // Checked and loaded now, not by the first wait (see Preload): the signal, the file system, the slot's classes.
        interruptSignal();
        Preload.classes("io.github.filelock.internal.KernelLockSlot", "io.github.filelock.internal.HolderRecordWriter",
                "io.github.filelock.internal.flock.FlockSlot", "io.github.filelock.internal.flock.FlockFile",
                "io.github.filelock.internal.posix.LockFileRefusedException", "io.github.filelock.internal.posix.CPath",
                "io.github.filelock.internal.posix.Statx", "io.github.filelock.internal.posix.LibC$Quiet");
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

    /**
     * The signal that stops a wait blocked in its caller's thread, when the check found it safe to send; null when
     * waits block in a helper thread.
     */
    InterruptSignal interruptSignal() {
        InterruptSignal signal = checkedSignal();
        return signal != null && signal.usable() && kernelLocksHere() ? signal : null;
    }

    // A signal ends a flock wait only where the kernel's own lock code waits (interruptibly). Elsewhere the file
    // system serves flock (FUSE daemons, NFS, SMB, cluster file systems) and may wait uninterruptibly for an answer
    // after a signal, so a caller blocked there would miss its deadline: those waits stay in helper threads.
    private boolean kernelLocksHere() {
        Boolean local = kernelLocks;
        if (local == null) {
            local = localFileSystem(directory());
            kernelLocks = local;
        }
        return local;
    }

    private static boolean localFileSystem(Path directory) {
        try {
            return MountInfo.of(directory.toRealPath()).map(mount -> LOCAL_FILE_SYSTEMS.contains(mount.fsType()))
                    .orElse(false);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** How a blocking wait of a platform thread waits here, and why (for diagnostics and tests). */
    public static String waitPath() {
        InterruptSignal signal = checkedSignal();
        if (signal == null) {
            return "helper thread: turned off by -Dfilelock.flock.callerWaits=false";
        }
        return signal.usable() ? "caller thread, stopped by " + signal.describe() : "helper thread: "
                + signal.describe();
    }

    private static InterruptSignal checkedSignal() {
        InterruptSignal forTests = signalForTests;
        if (forTests != null) {
            return forTests;
        }
        return CALLER_WAITS ? InterruptSignal.nio() : null;
    }

    /** Replaces the check's result (null: the real one again). For tests only. */
    public static void useSignalForTests(InterruptSignal signal) {
        signalForTests = signal;
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
     * Held elsewhere: on Linux the kernel's lock table says so, and by which pid; elsewhere one shared attempt on a
     * descriptor of our own, let go at once.
     */
    @Override
    protected Elsewhere inspect(Path file, KernelLocks kernel) throws IOException {
        try (FlockFile reading = open(file, false)) {
            if (reading == null) {
                return notHeld();
            }
            return inspectOpen(file, kernel, reading, () -> probeHeld(reading));
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
            return reading == null ? Optional.empty() : nameInRecord(reading);
        }
    }
}
