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

    /** {@link #tryFlock}'s answer when the lock was taken; any other answer is an errno. */
    public static final int LOCKED = -1;

    /**
     * {@code flock} with {@code LOCK_NB}: {@link #LOCKED}, or the errno of the failure ({@code EWOULDBLOCK}: held
     * elsewhere). A busy lock is an answer, not an error, so it is asked through {@link Quiet}: the throwing binding
     * makes JNA build a {@link LastErrorException} with a stack trace and a formatted message, about 3 us, on every
     * failed try. A failure never reads as LOCKED, even if no errno was kept (0).
     */
    public static int tryFlock(int fd, int operation) {
        return Quiet.flock(fd, operation | LOCK_NB) == 0 ? LOCKED : Native.getLastError();
    }

    /**
     * Calls whose failure is an expected answer, bound without {@link LastErrorException}. JNA 5 keeps the errno of
     * every call for {@link Native#getLastError()} in native thread-local storage: per OS thread, so per carrier for
     * a virtual thread. Read it right after the call, with nothing between that can park (a lock, I/O, a log, a test
     * hook): a virtual thread that unmounted there could read another call's errno, on this or another carrier.
     */
    static final class Quiet {

        static {
            Native.register(Quiet.class, NativeLibrary.getInstance(com.sun.jna.Platform.C_LIBRARY_NAME));
        }

        private Quiet() {
        }

        static native int flock(int fd, int operation);
    }

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
