package io.github.filelock.internal.soft;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.util.Locale;

/**
 * The libc calls soft markers need, bound with JNA direct mapping. Linux only: the breaking protocol compares
 * inodes with {@code statx(2)}, whose struct layout is the same on every Linux architecture. Flag values that
 * differ between architectures are chosen in {@link #load()}.
 */
final class MarkerSyscalls {

    static final int EINTR = 4;
    static final int ENOENT = 2;
    static final int EEXIST = 17;
    static final int ELOOP = 40;

    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    static final int O_NONBLOCK = 04000;
    static final int O_CLOEXEC = 02000000;
    static int oNoFollow;

    static final int AT_FDCWD = -100;
    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final int AT_EMPTY_PATH = 0x1000;

    private static boolean registered;

    private MarkerSyscalls() {
    }

    /**
     * Binds libc once.
     *
     * @throws UnsupportedOperationException naming the platform when soft markers are not supported here
     */
    static synchronized void load() {
        if (registered) {
            return;
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            throw new UnsupportedOperationException("soft locks need Linux (statx(2) and /proc), not " + os);
        }
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            oNoFollow = 0400000;
        } else if (arch.equals("aarch64") || arch.equals("arm64")) {
            oNoFollow = 0100000;
        } else {
            throw new UnsupportedOperationException("soft locks have no open(2) flag table for Linux on " + arch);
        }
        try {
            Native.register(MarkerSyscalls.class, NativeLibrary.getInstance(com.sun.jna.Platform.C_LIBRARY_NAME));
        } catch (LinkageError e) {
            throw new UnsupportedOperationException("JNA could not load libc: " + e, e);
        }
        registered = true;
    }

    static native int open(byte[] path, int flags, int mode) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native long write(int fd, byte[] buf, long count) throws LastErrorException;

    static native long read(int fd, byte[] buf, long count) throws LastErrorException;

    static native int fchmod(int fd, int mode) throws LastErrorException;

    static native int statx(int dirfd, byte[] path, int flags, int mask, byte[] statxBuf) throws LastErrorException;

    static native int rename(byte[] from, byte[] to) throws LastErrorException;

    /** Fails with EEXIST when {@code to} exists: it never replaces anything, which makes it a safe "put back". */
    static native int link(byte[] from, byte[] to) throws LastErrorException;

    static native int unlink(byte[] path) throws LastErrorException;

    /** With {@code times == null}, sets the file's atime and mtime to now. */
    static native int futimens(int fd, Pointer times) throws LastErrorException;
}
