package io.github.filelock.internal.posix;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The libc calls of the flock and soft backends, bound once with JNA direct mapping (the fastest JNA binding: no
 * proxy, no reflection per call). Sizes and offsets are {@code long}: only 64-bit platforms load this.
 */
public final class LibC {

    public static final int LOCK_SH = 1;
    public static final int LOCK_EX = 2;
    public static final int LOCK_NB = 4;
    public static final int LOCK_UN = 8;

    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int AT_EMPTY_PATH = 0x1000;

    static {
        Native.register(LibC.class, NativeLibrary.getInstance(com.sun.jna.Platform.C_LIBRARY_NAME));
    }

    private LibC() {
    }

    /**
     * Loads the library, so that a platform without it fails here rather than on first use: the call itself throws a
     * {@link LinkageError} when JNA cannot bind libc.
     */
    public static void load() {
        // the static initialiser did the work
    }

    public static native int open(byte[] path, int flags, int mode) throws LastErrorException;

    public static native int close(int fd) throws LastErrorException;

    public static native int flock(int fd, int operation) throws LastErrorException;

    public static native long read(int fd, byte[] buf, long count) throws LastErrorException;

    public static native long write(int fd, byte[] buf, long count) throws LastErrorException;

    public static native long pwrite(int fd, byte[] buf, long count, long offset) throws LastErrorException;

    public static native long pread(int fd, byte[] buf, long count, long offset) throws LastErrorException;

    public static native int ftruncate(int fd, long length) throws LastErrorException;

    public static native int fchmod(int fd, int mode) throws LastErrorException;

    public static native int fsync(int fd) throws LastErrorException;

    public static native int unlink(byte[] path) throws LastErrorException;

    public static native int rename(byte[] from, byte[] to) throws LastErrorException;

    /** With {@code sig == 0}, only checks that {@code pid} exists: ESRCH if not, EPERM if another user's. */
    public static native int kill(int pid, int sig) throws LastErrorException;

    /** Fails with EEXIST when {@code to} exists: it never replaces anything, which makes it a safe "put back". */
    public static native int link(byte[] from, byte[] to) throws LastErrorException;

    /** With {@code times == null}, sets the file's atime and mtime to now. */
    public static native int futimens(int fd, Pointer times) throws LastErrorException;

    /** Linux only (glibc 2.28+). {@code struct statx} has one layout on every architecture: see {@link Statx}. */
    public static native int statx(int dirfd, byte[] path, int flags, int mask, Pointer statxBuf)
            throws LastErrorException;
}
