package io.github.filelock.internal.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The few libc calls the flock mechanism needs, bound with JNA direct mapping (the fastest JNA binding:
 * no proxy, no reflection per call). Sizes and offsets are {@code long}: only 64-bit platforms load this.
 */
final class LibC {

    static final int LOCK_SH = 1;
    static final int LOCK_EX = 2;
    static final int LOCK_NB = 4;
    static final int LOCK_UN = 8;

    static final int EINTR = 4;
    static final int ENOENT = 2;
    static final int EEXIST = 17;
    static final int EISDIR = 21;
    static final int EWOULDBLOCK_LINUX = 11;
    static final int EWOULDBLOCK_DARWIN = 35;
    static final int ELOOP_LINUX = 40;
    static final int ELOOP_DARWIN = 62;

    static {
        Native.register(LibC.class, NativeLibrary.getInstance(com.sun.jna.Platform.C_LIBRARY_NAME));
    }

    private LibC() {
    }

    static native int open(byte[] path, int flags, int mode) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native int flock(int fd, int operation) throws LastErrorException;

    static native long pwrite(int fd, byte[] buf, long count, long offset) throws LastErrorException;

    static native long pread(int fd, byte[] buf, long count, long offset) throws LastErrorException;

    static native int ftruncate(int fd, long length) throws LastErrorException;

    static native int fchmod(int fd, int mode) throws LastErrorException;

    static native int unlink(byte[] path) throws LastErrorException;

    /** Linux only (glibc 2.28+). {@code struct statx} has one layout on every architecture. */
    static native int statx(int dirfd, byte[] path, int flags, int mask, com.sun.jna.Pointer statxBuf)
            throws LastErrorException;

    /** Loads the library, so that a platform without it fails here rather than on first use. */
    static void load() {
        // the static initialiser did the work
    }
}
