package io.github.filelock.internal.flock;

import com.sun.jna.LastErrorException;
import io.github.filelock.LockMode;
import io.github.filelock.internal.CallerWait;
import io.github.filelock.internal.KernelLockFile;
import io.github.filelock.internal.TestHooks;
import io.github.filelock.internal.posix.CPath;
import io.github.filelock.internal.posix.Errno;
import io.github.filelock.internal.posix.LibC;
import io.github.filelock.internal.posix.LockFileRefusedException;
import io.github.filelock.internal.posix.Platform;
import io.github.filelock.internal.posix.Statx;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

/** One lock file open for {@code flock(2)}: one descriptor, so one open file description, so one lock. */
final class FlockFile implements Closeable, KernelLockFile {

    private static final int STATX_MASK = Statx.TYPE | Statx.MODE | Statx.NLINK | Statx.INO | Statx.SIZE;
    // The check after each lock: one statx of the path, compared with the descriptor's device and inode (fixed for
    // the descriptor's life, read once at open). The mtime tells whether anybody wrote since our last record, so an
    // unchanged record need not be written again. Since Linux 6.13 a query of mtime makes the next write take a
    // fine-grained timestamp (dearer), which is also what makes two writes in one clock tick tell apart; the writes
    // are the rare case now.
    private static final int PATH_MASK = Statx.INO | Statx.SIZE | Statx.MTIME;
    private static final long UNKNOWN = Long.MIN_VALUE;
    // what tryOpen returns instead of a descriptor
    private static final int EXISTS = -1;
    private static final int MISSING = -2;

    private final Platform platform;
    private final Path file;
    private final byte[] path;
    private final Statx ofDescriptor = new Statx();
    private final Statx ofPath = new Statx();
    private int fd;
    private long knownSize = -1;
    private long inode;
    private long devMajor;
    private long devMinor;
    private long seenModified = UNKNOWN; // mtime of the path at the last check after locking
    private long writtenModified = UNKNOWN; // mtime right after our last record write; UNKNOWN when not known
    private long writtenSize = -1;

    private FlockFile(Platform platform, Path file, byte[] path, int fd) {
        this.platform = platform;
        this.file = file;
        this.path = path;
        this.fd = fd;
    }

    /**
     * Opens the lock file, creating it with {@code mode} (exactly, not masked) when {@code create} is set. Refuses a
     * symbolic link or any other non-regular file at that path, without following or truncating it.
     *
     * @return the open file, or {@code null} when it does not exist and {@code create} is false
     */
    static FlockFile open(Platform platform, Path file, int mode, boolean create) throws IOException {
        byte[] path = CPath.of(file);
        // O_NOFOLLOW refuses a planted symlink (ELOOP) without following it; O_NONBLOCK keeps a planted
        // FIFO from hanging the open; no O_TRUNC, so nothing is ever truncated.
        int flags = platform.rdwr() | platform.noFollow() | platform.nonBlock() | platform.closeOnExec();
        while (true) {
            if (create) {
                int fd = tryOpen(platform, file, path, flags | platform.create() | platform.excl(), mode);
                if (fd >= 0) {
                    return checked(platform, file, path, fd, mode);
                }
                if (fd == MISSING) {
                    // O_CREAT | O_EXCL finds no file to refuse: the directory itself is gone. Retrying would spin for
                    // ever on the caller's thread (as a test's @TempDir cleanup under a pending wait once did).
                    throw new NoSuchFileException(file.toString(), null, "cannot create the lock file: its directory "
                            + file.getParent() + " no longer exists (deleted while this registry used it?). Recreate"
                            + " the directory, or build a new registry, which creates it");
                }
            }
            int fd = tryOpen(platform, file, path, flags, 0);
            if (fd >= 0) {
                return checked(platform, file, path, fd, -1);
            }
            if (!create) {
                return null;
            }
            // Deleted between our two opens: try to create it again.
        }
    }

    /** Returns the descriptor, or {@link #EXISTS} (when creating) or {@link #MISSING} (a part of the path). */
    private static int tryOpen(Platform platform, Path file, byte[] path, int flags, int mode) throws IOException {
        while (true) {
            try {
                return LibC.open(path, flags, mode);
            } catch (LastErrorException e) {
                int errno = e.getErrorCode();
                if (errno == Errno.EINTR) {
                    continue;
                }
                if (errno == Errno.EEXIST) {
                    return EXISTS;
                }
                if (errno == Errno.ENOENT) {
                    return MISSING;
                }
                if (errno == platform.eloop()) {
                    throw new LockFileRefusedException(file, "a symbolic link");
                }
                if (errno == Errno.EISDIR) {
                    throw new LockFileRefusedException(file, "a directory");
                }
                throw new IOException("Cannot open lock file " + file + ": " + Errno.describe(errno), e);
            }
        }
    }

    // Wraps the descriptor first, so that it is closed whatever fails next. `mode` -1: keep the file's mode.
    private static FlockFile checked(Platform platform, Path file, byte[] path, int fd, int mode) throws IOException {
        FlockFile lockFile = new FlockFile(platform, file, path, fd);
        try {
            lockFile.refuseIfNotRegular();
            if (mode >= 0) {
                lockFile.setMode(mode); // open(2) applies the umask; set the permissions the user asked for exactly
            }
            return lockFile;
        } catch (IOException | RuntimeException e) {
            lockFile.close();
            throw e;
        }
    }

    private void refuseIfNotRegular() throws IOException {
        if (platform.linux()) {
            statx();
            if (!ofDescriptor.isRegularFile()) {
                throw new LockFileRefusedException(file, "not a regular file (mode "
                        + Integer.toOctalString(ofDescriptor.mode()) + ")");
            }
            inode = ofDescriptor.inode();
            devMajor = ofDescriptor.devMajor();
            devMinor = ofDescriptor.devMinor();
        } else {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!attrs.isRegularFile()) {
                throw new LockFileRefusedException(file, "not a regular file");
            }
        }
    }

    private void setMode(int mode) throws IOException {
        try {
            LibC.fchmod(fd, mode);
        } catch (LastErrorException e) {
            throw new IOException("Cannot set the permissions of lock file " + file + " to "
                    + Integer.toOctalString(mode) + ": " + Errno.describe(e.getErrorCode()), e);
        }
    }

    /** One attempt that does not block. */
    @Override
    public boolean tryLock(LockMode mode) throws IOException {
        while (true) {
            int errno = LibC.tryFlock(fd, operation(mode));
            if (errno == LibC.LOCKED) {
                return true;
            }
            if (errno == platform.ewouldblock()) {
                return false;
            }
            if (errno != Errno.EINTR) {
                // the errno as the cause, as every other flock failure: FlockProbe reads it there (a refusal of flock)
                throw failure("flock", new LastErrorException(errno));
            }
        }
    }

    /** Blocks in the kernel until granted. Called on platform threads only: it would pin a virtual one. */
    void lock(LockMode mode) throws IOException {
        TestHooks.reach("FlockFile.lock", file);
        while (true) {
            try {
                LibC.flock(fd, operation(mode));
                return;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.EINTR) {
                    throw failure("flock", e);
                }
            }
        }
    }

    /**
     * Blocks in the kernel until granted (true), or until {@code wait} asks to stop (false): its signal makes the call
     * return {@code EINTR}. Any other {@code EINTR} blocks again. Called on the caller's platform thread.
     */
    boolean lock(LockMode mode, CallerWait wait) throws IOException {
        TestHooks.reach("FlockFile.lock", file);
        while (wait.enter()) {
            try {
                LibC.flock(fd, operation(mode));
                return true;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.EINTR) {
                    throw failure("flock", e);
                }
                TestHooks.reach("FlockFile.interrupted", file); // stop asked, or a stray signal: enter() decides
            } finally {
                wait.left();
            }
        }
        return false;
    }

    @Override
    public void unlock() throws IOException {
        try {
            LibC.flock(fd, LibC.LOCK_UN);
        } catch (LastErrorException e) {
            throw failure("unlock", e);
        }
    }

    /**
     * True when the path no longer names the file this descriptor has open: deleted (link count 0), renamed away,
     * or replaced while another link kept the old file alive. Compares the descriptor's device and inode (read at
     * open) with those of the path (not followed): one {@code statx}. A deleted file has no path that names it,
     * and its inode number cannot be reused while our descriptor keeps it allocated, so a match means linked.
     * Always false off Linux, where idle-file deletion is not offered.
     */
    @Override
    public boolean isUnlinked() throws IOException {
        if (!platform.linux()) {
            return false;
        }
        seenModified = UNKNOWN;
        if (!ofPath.ofPath(path, PATH_MASK) || ofPath.inode() != inode || ofPath.devMajor() != devMajor
                || ofPath.devMinor() != devMinor) {
            return true;
        }
        knownSize = ofPath.size();
        seenModified = ofPath.modifiedStamp();
        return false;
    }

    /**
     * Whether the file still holds exactly what our last {@link #write} put there: nobody wrote since, as the mtime
     * and size read by the check after this lock show. False when unknown.
     */
    @Override
    public boolean unchangedSinceWrite() {
        return writtenModified != UNKNOWN && seenModified == writtenModified && knownSize == writtenSize;
    }

    /** Replaces the file's content with the first {@code length} bytes of {@code content}. */
    @Override
    public void write(byte[] content, int length) throws IOException {
        try {
            long written = LibC.pwrite(fd, content, length, 0);
            if (written != length) {
                knownSize = -1;
                throw new IOException("Cannot write holder record to lock file " + file + ": wrote " + written
                        + " of " + length + " bytes");
            }
            if (knownSize < 0 || length < knownSize) {
                LibC.ftruncate(fd, length);
            }
            knownSize = length;
            writtenSize = length;
            writtenModified = platform.linux() ? modifiedNow() : UNKNOWN;
        } catch (LastErrorException e) {
            knownSize = -1;
            writtenModified = UNKNOWN;
            throw failure("write holder record to", e);
        }
    }

    /** Reads up to {@code max} bytes from the start of the file. */
    @Override
    public byte[] read(int max) throws IOException {
        byte[] buffer = new byte[max];
        try {
            long n = LibC.pread(fd, buffer, max, 0);
            return Arrays.copyOf(buffer, (int) n);
        } catch (LastErrorException e) {
            throw failure("read", e);
        }
    }

    /** Makes what was written survive a host crash (fsync). */
    void sync() throws IOException {
        try {
            LibC.fsync(fd);
        } catch (LastErrorException e) {
            throw failure("fsync", e);
        }
    }

    /** Deletes the file by path. Call only while holding the lock. */
    @Override
    public void unlinkPath() throws IOException {
        try {
            LibC.unlink(path);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != Errno.ENOENT) {
                throw failure("delete", e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (fd >= 0) {
            int closing = fd;
            fd = -1;
            try {
                LibC.close(closing);
            } catch (LastErrorException e) {
                throw failure("close", e);
            }
        }
    }

    private long modifiedNow() {
        try {
            ofDescriptor.ofDescriptor(fd, Statx.MTIME | Statx.SIZE);
            return ofDescriptor.size() == writtenSize ? ofDescriptor.modifiedStamp() : UNKNOWN;
        } catch (LastErrorException e) {
            return UNKNOWN; // only costs the next write its skip
        }
    }

    private void statx() throws IOException {
        try {
            ofDescriptor.ofDescriptor(fd, STATX_MASK);
        } catch (LastErrorException e) {
            throw failure("stat", e);
        }
    }

    private static int operation(LockMode mode) {
        return mode == LockMode.SHARED ? LibC.LOCK_SH : LibC.LOCK_EX;
    }

    private IOException failure(String what, LastErrorException e) {
        return new IOException("Cannot " + what + " lock file " + file + ": " + Errno.describe(e.getErrorCode()), e);
    }

    @Override
    public String toString() {
        return "flock(" + file + ", fd " + fd + ")";
    }
}
