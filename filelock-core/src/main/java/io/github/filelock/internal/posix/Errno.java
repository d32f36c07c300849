package io.github.filelock.internal.posix;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** The errno values the backends tell apart, and the C library's own words for any errno. */
public final class Errno {

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EEXIST = 17;
    public static final int EISDIR = 21;
    // These differ between kernels: see Platform.ewouldblock() and Platform.eloop().
    static final int EWOULDBLOCK_LINUX = 11;
    static final int EWOULDBLOCK_DARWIN = 35;
    static final int ELOOP_LINUX = 40;
    static final int ELOOP_DARWIN = 62;

    private Errno() {
    }

    public static String describe(int errno) {
        try {
            return StrError.strerror(errno).getString(0) + " (errno " + errno + ")";
        } catch (RuntimeException | LinkageError e) {
            return "errno " + errno;
        }
    }

    private static final class StrError {
        static {
            Native.register(StrError.class, com.sun.jna.Platform.C_LIBRARY_NAME);
        }

        static native Pointer strerror(int errnum);
    }
}
