package io.github.filelock.internal.os;

import io.github.filelock.LockMechanism;
import io.github.filelock.internal.TestHooks;
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
import java.util.Set;

/**
 * {@code FileChannel.lock()}: {@code LockFileEx} on Windows, where it is the native mechanism, and POSIX
 * {@code fcntl} record locks elsewhere, where it is only a fallback (it does not exclude flock users).
 */
public final class ChannelLockProvider implements OsLockProvider {

    private static final Set<OpenOption> CREATE = Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
            StandardOpenOption.CREATE_NEW, LinkOption.NOFOLLOW_LINKS);
    private static final Set<OpenOption> EXISTING = Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);

    private final DescriptorKeys keys;

    public ChannelLockProvider() {
        this(DescriptorKeys.available());
    }

    private ChannelLockProvider(DescriptorKeys keys) {
        this.keys = keys;
    }

    /**
     * A provider that, as on Windows, cannot learn which file an open descriptor refers to. For tests of what
     * depends on that, on a machine that has the means.
     */
    public static ChannelLockProvider withoutFileKeys() {
        return new ChannelLockProvider(null);
    }

    @Override
    public LockMechanism mechanism() {
        return LockMechanism.FILE_CHANNEL;
    }

    /** Only where the file key of an open descriptor can be read (Linux /proc); not on Windows or macOS. */
    @Override
    public boolean detectsDeletedFiles() {
        return keys != null;
    }

    @Override
    public OsLockFile open(Path file, Set<PosixFilePermission> permissions, boolean create) throws IOException {
        refuseIfNotRegular(file);
        for (int attempt = 1; ; attempt++) {
            if (attempt > 100) {
                throw new IOException("Cannot tell which file was opened at " + file + ": /proc/self/fd never showed"
                        + " a new descriptor naming this path. Is the path, or the file system's view of it, changing"
                        + " all the time? Use the FLOCK mechanism, or keep lock files (no deleteIdleLockFiles).");
            }
            if (create) {
                try {
                    OsLockFile created = opened(file, CREATE, permissions);
                    if (created != null) {
                        return created;
                    }
                    continue; // replaced before we could read which file we opened: open again
                } catch (FileAlreadyExistsException e) {
                    // fall through to open the existing file
                }
            }
            try {
                OsLockFile existing = opened(file, EXISTING, null);
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
    private OsLockFile opened(Path file, Set<OpenOption> options, Set<PosixFilePermission> permissions)
            throws IOException {
        try (DescriptorKeys.Before before = keys == null ? null : keys.before()) {
            AsynchronousFileChannel channel = AsynchronousFileChannel.open(file, options, null);
            try {
                TestHooks.reach("ChannelLockProvider.opened", file);
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
                return new ChannelLockFile(file, channel, key);
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
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
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
