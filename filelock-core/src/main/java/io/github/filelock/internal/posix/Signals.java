package io.github.filelock.internal.posix;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The libc calls that send a signal to one thread and look at signal dispositions, bound with JNA direct mapping.
 * Only {@link InterruptSignal} uses them. In libc since glibc 2.34; binding fails on an older libc, and then no signal
 * is ever sent (see {@link InterruptSignal#check}).
 */
final class Signals {

    static final int SIG_BLOCK = 0;

    static {
        Native.register(Signals.class, NativeLibrary.getInstance(com.sun.jna.Platform.C_LIBRARY_NAME));
    }

    private Signals() {
    }

    /** The calling thread's {@code pthread_t}. */
    static native long pthread_self();

    /** Returns 0, or the error number (not errno). */
    static native int pthread_kill(long thread, int sig);

    /**
     * Returns 0, or the error number. With {@code set == null}, only reads the calling thread's mask. Arrays of 16
     * longs (a {@code sigset_t}), not native memory: JNA copies them for the call, with no allocation to free.
     */
    static native int pthread_sigmask(int how, long[] set, long[] oldset);

    /** Returns 0, or -1 with errno set. With {@code act == null}, only reads the disposition. */
    static native int sigaction(int sig, Pointer act, Pointer oldact);

    /** Non-zero when {@code addr} lies in a loaded object; fills {@code Dl_info}. */
    static native int dladdr(Pointer addr, Pointer info);
}
