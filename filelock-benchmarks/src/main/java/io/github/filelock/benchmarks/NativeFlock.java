package io.github.filelock.benchmarks;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The baseline: bare {@code flock(2)} through a JNA direct-mapped binding of our own, so the benchmarks
 * compare the registry against the cheapest call Java can make to the same kernel lock (and do not lean
 * on the core's private binding).
 */
public final class NativeFlock {

    public static final int LOCK_SH = 1;
    public static final int LOCK_EX = 2;
    public static final int LOCK_UN = 8;
    private static final int LOCK_NB = 4;
    private static final int O_RDWR = 2;
    private static final int O_CREAT = 0100;
    private static final int O_CLOEXEC = 02000000;

    static {
        Native.register(NativeFlock.class, NativeLibrary.getInstance(com.sun.jna.Platform.C_LIBRARY_NAME));
    }

    private NativeFlock() {
    }

    private static native int open(byte[] path, int flags, int mode) throws LastErrorException;

    private static native int close(int fd) throws LastErrorException;

    private static native int flock(int fd, int operation) throws LastErrorException;

    private static native long pwrite(int fd, byte[] buf, long count, long offset) throws LastErrorException;

    /** Opens (creating if needed) a file to lock; the descriptor stays open until {@link #closeFd}. */
    public static int openForLocking(Path file) throws IOException {
        byte[] path = (file.toString() + '\0').getBytes(StandardCharsets.UTF_8);
        try {
            return open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        } catch (LastErrorException e) {
            throw new IOException("Cannot open " + file + ": errno " + e.getErrorCode(), e);
        }
    }

    public static void lockExclusive(int fd) {
        flock(fd, LOCK_EX);
    }

    public static void lockShared(int fd) {
        flock(fd, LOCK_SH);
    }

    /** One try of {@code flock(LOCK_EX|LOCK_NB)}, bound without JNA's exception: false when held elsewhere. */
    public static boolean tryLockExclusive(int fd) {
        return Quiet.flock(fd, LOCK_EX | LOCK_NB) == 0;
    }

    /** The same try through the throwing binding: what a failed try costs when JNA builds a LastErrorException. */
    public static boolean tryLockExclusiveThrowing(int fd) {
        try {
            flock(fd, LOCK_EX | LOCK_NB);
            return true;
        } catch (LastErrorException busy) {
            return false;
        }
    }

    public static void unlock(int fd) {
        flock(fd, LOCK_UN);
    }

    /** Writes {@code content} at the start of the file, as a lock's holder record is written. */
    public static void writeAtStart(int fd, byte[] content) {
        pwrite(fd, content, content.length, 0);
    }

    public static void closeFd(int fd) {
        close(fd);
    }

    /** {@code flock} bound without {@code throws LastErrorException}: a failure is a return value, no exception. */
    private static final class Quiet {

        static {
            Native.register(Quiet.class, NativeLibrary.getInstance(com.sun.jna.Platform.C_LIBRARY_NAME));
        }

        private Quiet() {
        }

        static native int flock(int fd, int operation);
    }
}
