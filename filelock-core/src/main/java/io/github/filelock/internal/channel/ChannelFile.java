package io.github.filelock.internal.channel;

import io.github.filelock.LockMode;
import io.github.filelock.internal.KernelLockFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
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
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The one descriptor this process has for a lock file, held through an {@link AsynchronousFileChannel} and shared
 * by the file's slot and by inspection ({@link ChannelBackend} counts its users): fcntl locks belong to the process,
 * so closing any second descriptor of the file would drop them.
 *
 * <p>Not a {@code FileChannel}: that is an interruptible channel, which any interrupted thread touching it closes,
 * and closing it drops the lock and leaves a dead handle. An asynchronous channel is never closed by an interrupt;
 * this class waits for its results ignoring interrupts, and keeps the caller's interrupt status.
 *
 * <p>Lock state is guarded by {@link #guard} (not a monitor: callers may be virtual threads, which queue on a monitor
 * pinned on JDK 21 to 23); a blocking {@link #lock} waits outside it.
 */
final class ChannelFile implements KernelLockFile {

    private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    final Path file;
    private final AsynchronousFileChannel channel;
    private final Object fileKey; // of the open file, read from the descriptor; null where that is not possible
    int users; // guarded by the backend's table of open files
    private final ReentrantLock guard = new ReentrantLock();
    private FileLock lock; // guarded by guard
    private boolean waiting; // guarded by guard: a blocking lock is under way

    ChannelFile(Path file, AsynchronousFileChannel channel, Object fileKey) {
        this.file = file;
        this.channel = channel;
        this.fileKey = fileKey;
    }

    @Override
    public boolean tryLock(LockMode mode) throws IOException {
        guard.lock();
        try {
            lock = channel.tryLock(0, Long.MAX_VALUE, mode == LockMode.SHARED);
            return lock != null;
        } finally {
            guard.unlock();
        }
    }

    /**
     * Blocks until granted (true), or until {@code abandoned} says stop between attempts (false). fcntl locks belong
     * to the process, so the kernel's deadlock detection sees a cycle when threads of two processes each wait for a
     * name the other process holds in another thread, and fails the wait with EDEADLK although no thread waits for
     * itself. A wait that fails while a try still finds the lock busy is such a false cycle: back off and wait again.
     */
    boolean lock(LockMode mode, BooleanSupplier abandoned) throws IOException {
        long backoff = TimeUnit.MILLISECONDS.toNanos(1);
        while (true) {
            if (abandoned.getAsBoolean()) {
                return false;
            }
            guard.lock();
            try {
                waiting = true;
            } finally {
                guard.unlock();
            }
            FileLock granted = null;
            try {
                granted = result(channel.lock(0, Long.MAX_VALUE, mode == LockMode.SHARED));
            } catch (IOException refused) {
                // a false deadlock: see above
            } finally {
                guard.lock();
                try {
                    waiting = false;
                    if (granted != null) {
                        lock = granted;
                    }
                } finally {
                    guard.unlock();
                }
            }
            if (granted != null || tryLock(mode)) {
                return true;
            }
            sleepUninterruptibly(backoff);
            backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
        }
    }

    @Override
    public void unlock() throws IOException {
        guard.lock();
        try {
            FileLock held = lock;
            lock = null;
            if (held != null) {
                held.release();
            }
        } finally {
            guard.unlock();
        }
    }

    /**
     * Whether another process holds the file, by one shared attempt let go at once. Never touches a lock of ours: one
     * held or awaited through this descriptor means "this process", or "someone else, whom we wait for".
     */
    boolean probeHeldElsewhere() throws IOException {
        guard.lock();
        try {
            return probeLocked();
        } finally {
            guard.unlock();
        }
    }

    private boolean probeLocked() throws IOException {
        if (lock != null) {
            return false;
        }
        if (waiting) {
            return true;
        }
        try {
            FileLock probe = channel.tryLock(0, Long.MAX_VALUE, true);
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return false; // this JVM holds it
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
    public void write(byte[] content, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(content, 0, length);
        long position = 0;
        while (buffer.hasRemaining()) {
            position += result(channel.write(buffer, position));
        }
        channel.truncate(length);
    }

    @Override
    public byte[] read(int max) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(max);
        int n = Math.max(0, result(channel.read(buffer, 0)));
        return Arrays.copyOf(buffer.array(), n);
    }

    @Override
    public void unlinkPath() throws IOException {
        Files.deleteIfExists(file);
    }

    void close() throws IOException {
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
