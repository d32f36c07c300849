package io.github.filelock.internal.channel;

import io.github.filelock.LockType;
import io.github.filelock.internal.FileSettings;
import io.github.filelock.internal.KernelFileBackend;
import io.github.filelock.internal.KernelLocks;
import io.github.filelock.internal.TestHooks;
import io.github.filelock.internal.posix.LockFileRefusedException;
import io.github.filelock.spi.LockSlot;
import java.io.IOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code FileChannel.lock()}: {@code LockFileEx} on Windows, where it is the native lock, and POSIX {@code fcntl}
 * record locks elsewhere, where it is only a fallback (it does not exclude flock users).
 *
 * <p>fcntl locks belong to the process, and closing any descriptor of a file drops them all. So this backend keeps
 * one descriptor per lock file for the whole process ({@link #use}), shared by the file's slot and by inspection,
 * and closes it when the last of them is done.
 */
public final class ChannelBackend extends KernelFileBackend {

    private static final Set<OpenOption> CREATE = Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
            StandardOpenOption.CREATE_NEW, LinkOption.NOFOLLOW_LINKS);
    private static final Set<OpenOption> EXISTING = Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);

    private final DescriptorKeys keys;
    // Guarded by openLock, not a monitor: files are opened and closed under it, by callers that may be virtual threads.
    private final Map<Path, ChannelFile> open = new HashMap<>();
    private final ReentrantLock openLock = new ReentrantLock();

    private ChannelBackend(FileSettings settings, DescriptorKeys keys) {
        super(settings);
        this.keys = keys;
        if (settings.deleteIdleFiles() && keys == null) {
            throw new IllegalStateException("deleteIdleLockFiles cannot be used with FILE_CHANNEL locks here: this"
                    + " platform cannot tell that a lock file was deleted under a holder (no file key of an open"
                    + " descriptor). Keep lock files (the default).");
        }
    }

    public ChannelBackend(FileSettings settings) {
        this(settings, DescriptorKeys.available());
    }

    /**
     * A backend that, as on Windows, cannot learn which file an open descriptor refers to. For tests of what depends
     * on that, on a machine that has the means.
     */
    public static ChannelBackend withoutFileKeys(FileSettings settings) {
        return new ChannelBackend(settings, null);
    }

    @Override
    public String type() {
        return LockType.FILE_CHANNEL.id();
    }

    /** fcntl locks belong to the process: a second slot would share the first one's lock and drop it on close. */
    @Override
    public boolean independentSlots() {
        return false;
    }

    @Override
    public LockSlot openSlot(String key, Runnable onLoss) {
        return new ChannelSlot(this, fileOf(key));
    }

    /**
     * The process's descriptor of {@code file}, opened (and created, if {@code create}) when it has none, and counted
     * as used until {@link #release}.
     *
     * @return null when the file does not exist and {@code create} is false
     */
    ChannelFile use(Path file, boolean create) throws IOException {
        openLock.lock();
        try {
            ChannelFile current = open.get(file);
            if (current == null) {
                current = openFile(file, create);
                if (current == null) {
                    return null;
                }
                open.put(file, current);
            }
            current.users++;
            return current;
        } finally {
            openLock.unlock();
        }
    }

    /** One user is done with {@code file}; the last one closes it. */
    void release(ChannelFile file) throws IOException {
        openLock.lock();
        try {
            if (--file.users > 0) {
                return;
            }
            open.remove(file.file, file);
            file.close();
        } finally {
            openLock.unlock();
        }
    }

    /** {@code stale} is a deleted file: new users get a fresh descriptor; its own users still release it. */
    void forget(ChannelFile stale) {
        openLock.lock();
        try {
            open.remove(stale.file, stale);
        } finally {
            openLock.unlock();
        }
    }

    /**
     * Held elsewhere: on Linux the kernel's lock table says so; elsewhere one shared attempt through the process's own
     * descriptor, which never disturbs a lock of ours. The record is read through that descriptor too.
     */
    @Override
    protected Elsewhere inspect(Path file, KernelLocks kernel) throws IOException {
        ChannelFile reading = use(file, false);
        if (reading == null) {
            return notHeld();
        }
        try {
            return inspectOpen(file, kernel, reading, reading::probeHeldElsewhere);
        } finally {
            release(reading);
        }
    }

    @Override
    protected Optional<String> recordedName(Path file) throws IOException {
        ChannelFile reading = use(file, false);
        if (reading == null) {
            return Optional.empty();
        }
        try {
            return nameInRecord(reading);
        } finally {
            release(reading);
        }
    }

    private ChannelFile openFile(Path file, boolean create) throws IOException {
        refuseIfNotRegular(file);
        for (int attempt = 1; ; attempt++) {
            if (attempt > 100) {
                throw new IOException("Cannot tell which file was opened at " + file + ": /proc/self/fd never showed"
                        + " a new descriptor naming this path. Is the path, or the file system's view of it, changing"
                        + " all the time? Use the FLOCK type, or keep lock files (no deleteIdleLockFiles).");
            }
            if (create) {
                try {
                    ChannelFile created = opened(file, CREATE, settings.permissions());
                    if (created != null) {
                        return created;
                    }
                    continue; // replaced before we could read which file we opened: open again
                } catch (FileAlreadyExistsException e) {
                    // fall through to open the existing file
                }
            }
            try {
                ChannelFile existing = opened(file, EXISTING, null);
                if (existing != null) {
                    return existing;
                }
            } catch (NoSuchFileException e) {
                if (!create) {
                    return null;
                }
            } catch (IOException e) {
                refuseIfNotRegular(file);
                throw e;
            }
        }
    }

    // Null when the descriptor's file could not be identified (the path changed under the open): try again.
    private ChannelFile opened(Path file, Set<OpenOption> options, Set<PosixFilePermission> permissions)
            throws IOException {
        try (DescriptorKeys.Before before = keys == null ? null : keys.before()) {
            AsynchronousFileChannel channel = AsynchronousFileChannel.open(file, options, null);
            try {
                TestHooks.reach("ChannelBackend.opened", file);
                Object key = null;
                if (before != null) {
                    key = before.keyOfNew(file);
                    if (key == null) {
                        channel.close();
                        return null;
                    }
                }
                if (permissions != null) {
                    setPermissions(file, permissions);
                }
                return new ChannelFile(file, channel, key);
            } catch (IOException | RuntimeException | Error e) {
                try {
                    channel.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
    }

    private static void refuseIfNotRegular(Path file) throws IOException {
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (attrs.isSymbolicLink()) {
                throw new LockFileRefusedException(file, "a symbolic link");
            }
            if (!attrs.isRegularFile()) {
                throw new LockFileRefusedException(file, attrs.isDirectory() ? "a directory" : "not a regular file");
            }
        } catch (NoSuchFileException e) {
            // not there yet: it will be created
        }
    }

    private static void setPermissions(Path file, Set<PosixFilePermission> permissions) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            try {
                Files.setPosixFilePermissions(file, permissions);
            } catch (NoSuchFileException e) {
                // another process's idle-file reaper deleted it at once: the acquirer sees that after locking
            }
        }
    }
}
