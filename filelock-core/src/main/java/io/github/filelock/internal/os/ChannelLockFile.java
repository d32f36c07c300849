package io.github.filelock.internal.os;

import io.github.filelock.LockMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One lock file held through an {@link AsynchronousFileChannel}.
 *
 * <p>Not a {@code FileChannel}: that is an interruptible channel, which any interrupted thread touching it
 * closes, and closing it drops the lock (fcntl locks go with any close) and leaves a dead handle shared by
 * every thread of this JVM. An asynchronous channel is never closed by an interrupt; this class waits for its
 * results ignoring interrupts, and keeps the caller's interrupt status.
 */
final class ChannelLockFile implements OsLockFile {

    private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Path file;
    private final AsynchronousFileChannel channel;
    private final Object fileKey; // of the open file, read from the descriptor; null where that is not possible
    private volatile FileLock lock;

    ChannelLockFile(Path file, AsynchronousFileChannel channel, Object fileKey) {
        this.file = file;
        this.channel = channel;
        this.fileKey = fileKey;
    }

    @Override
    public boolean tryLock(LockMode mode) throws IOException {
        lock = channel.tryLock(0, Long.MAX_VALUE, mode == LockMode.SHARED);
        return lock != null;
    }

    /**
     * Blocks until granted. fcntl locks belong to the process, so the kernel's deadlock detection sees a cycle
     * when threads of two processes each wait for a name the other process holds in another thread, and fails
     * the wait with EDEADLK although no thread waits for itself. A wait that fails while a try still finds the
     * lock busy is such a false cycle: back off and wait again. A try that fails too is a real error.
     */
    @Override
    public void lock(LockMode mode) throws IOException {
        long backoff = TimeUnit.MILLISECONDS.toNanos(1);
        while (true) {
            try {
                lock = result(channel.lock(0, Long.MAX_VALUE, mode == LockMode.SHARED));
                return;
            } catch (IOException refused) {
                if (tryLock(mode)) {
                    return;
                }
            }
            sleepUninterruptibly(backoff);
            backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
        }
    }

    @Override
    public void unlock() throws IOException {
        FileLock held = lock;
        lock = null;
        if (held != null) {
            held.release();
        }
    }

    /** True when the path no longer names the file this descriptor has open (deleted, renamed away or over). */
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
            position += result(channel.write(buffer, position));
        }
        channel.truncate(length);
    }

    @Override
    public byte[] readContent(int max) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(max);
        int n = Math.max(0, result(channel.read(buffer, 0)));
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

    // The operation runs on the channel's own threads; an interrupt of the caller must not abandon it halfway.
    private static <T> T result(Future<T> pending) throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return pending.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof IOException io) {
                        throw io;
                    }
                    if (cause instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    throw new IOException(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sleepUninterruptibly(long nanos) {
        long deadline = System.nanoTime() + nanos;
        boolean interrupted = false;
        for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "channel(" + file + ")";
    }
}
