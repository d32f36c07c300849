package io.github.filelock.internal.os;

import io.github.filelock.LockMechanism;
import java.io.IOException;
import java.nio.channels.FileChannel;
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

    @Override
    public LockMechanism mechanism() {
        return LockMechanism.FILE_CHANNEL;
    }

    @Override
    public boolean detectsDeletedFiles() {
        return true; // compares the file key of the path with the one it opened
    }

    @Override
    public OsLockFile open(Path file, Set<PosixFilePermission> permissions, boolean create) throws IOException {
        refuseIfNotRegular(file);
        while (true) {
            if (create) {
                try {
                    FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.READ,
                            StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW, LinkOption.NOFOLLOW_LINKS));
                    setPermissions(file, permissions);
                    return new ChannelLockFile(file, channel);
                } catch (FileAlreadyExistsException e) {
                    // fall through to open the existing file
                }
            }
            try {
                Set<OpenOption> options = Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS);
                return new ChannelLockFile(file, FileChannel.open(file, options));
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
            Files.setPosixFilePermissions(file, permissions);
        }
    }
}
