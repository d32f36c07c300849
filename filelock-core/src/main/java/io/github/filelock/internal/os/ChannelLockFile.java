package io.github.filelock.internal.os;

import io.github.filelock.LockMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Objects;

/** One lock file held through a {@link FileChannel}. */
final class ChannelLockFile implements OsLockFile {

    private final Path file;
    private final FileChannel channel;
    private final Object fileKey;
    private volatile FileLock lock;

    ChannelLockFile(Path file, FileChannel channel) throws IOException {
        this.file = file;
        this.channel = channel;
        this.fileKey = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    @Override
    public boolean tryLock(LockMode mode) throws IOException {
        lock = channel.tryLock(0, Long.MAX_VALUE, mode == LockMode.SHARED);
        return lock != null;
    }

    @Override
    public void lock(LockMode mode) throws IOException {
        lock = channel.lock(0, Long.MAX_VALUE, mode == LockMode.SHARED);
    }

    @Override
    public void unlock() throws IOException {
        FileLock held = lock;
        lock = null;
        if (held != null) {
            held.release();
        }
    }

    @Override
    public boolean isUnlinked() throws IOException {
        if (fileKey == null) {
            return false;
        }
        try {
            Object now = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            return !Objects.equals(fileKey, now);
        } catch (NoSuchFileException e) {
            return true;
        }
    }

    @Override
    public void writeContent(byte[] content, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(content, 0, length);
        long position = 0;
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
        channel.truncate(length);
    }

    @Override
    public byte[] readContent(int max) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(max);
        int n = Math.max(0, channel.read(buffer, 0));
        return Arrays.copyOf(buffer.array(), n);
    }

    @Override
    public void unlinkPath() throws IOException {
        Files.deleteIfExists(file);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "channel(" + file + ")";
    }
}
