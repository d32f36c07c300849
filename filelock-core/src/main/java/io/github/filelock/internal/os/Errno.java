package io.github.filelock.internal.os;

import com.sun.jna.Native;

/** Turns an errno into the C library's own words. */
final class Errno {

    private Errno() {
    }

    static String describe(int errno) {
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

        static native com.sun.jna.Pointer strerror(int errnum);
    }
}
