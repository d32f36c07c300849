package io.github.filelock.internal.posix;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The signal that makes a thread blocked in a system call return with {@code EINTR}, so that a thread may block in
 * {@code flock(2)} itself and still be stopped from another thread. It is the JDK's own: NIO unblocks threads in I/O
 * by sending {@code SIGRTMAX-2} on Linux, to a handler that does nothing, installed without {@code SA_RESTART} when
 * {@code sun.nio.ch.NativeThread} is first initialised. A real-time signal with no handler ends the process, so it is
 * sent only after {@link #check} has found that handler in place: not the default, not ignored, not reset after one
 * delivery, not restarting the call, and inside the JDK's {@code libnio}. Anything else, and it is never sent (the
 * engine then blocks in a helper thread, as before).
 */
public final class InterruptSignal {

    /** {@code __SIGRTMAX - 2}, the JDK's {@code INTERRUPT_SIGNAL} on Linux. */
    public static final int NIO_SIGNAL = 64 - 2;

    private static final long SIG_DFL = 0;
    private static final long SIG_IGN = 1;
    private static final int SA_RESTART = 0x10000000;
    private static final int SA_RESETHAND = 0x80000000;
    // glibc's struct sigaction on x86_64 and aarch64: the handler (8), sa_mask (128), sa_flags (int), sa_restorer.
    private static final int SA_FLAGS_OFFSET = 8 + 128;
    private static final int SIGACTION_SIZE = 256; // 152 used; room to spare
    private static final int SIGSET_SIZE = 128;

    private final int signal;
    private final boolean usable;
    private final String description;
    private final long handler; // the verified handler's address and flags: checked again before each send
    private final int flags;

    private InterruptSignal(int signal, boolean usable, String description) {
        this(signal, usable, description, 0, 0);
    }

    private InterruptSignal(int signal, boolean usable, String description, long handler, int flags) {
        this.signal = signal;
        this.usable = usable;
        this.description = description;
        this.handler = handler;
        this.flags = flags;
    }

    /** The JDK's NIO signal, checked once (after making NIO install its handler). */
    public static InterruptSignal nio() {
        return Nio.CHECKED;
    }

    private static final class Nio {
        static final InterruptSignal CHECKED = installAndCheck();
    }

    private static InterruptSignal installAndCheck() {
        Platform platform = Platform.current();
        if (platform == null || !platform.linux()) {
            return new InterruptSignal(NIO_SIGNAL, false, "not Linux: waits block in a helper thread");
        }
        String installing = installNioHandler();
        InterruptSignal checked = check(NIO_SIGNAL);
        if (!checked.usable && installing != null) {
            return new InterruptSignal(NIO_SIGNAL, false, checked.description + " (" + installing + ")");
        }
        return checked;
    }

    // NIO installs its handler in NativeThread's static initialiser; a blocking read of a FileChannel runs it too.
    private static String installNioHandler() {
        try {
            Class.forName("sun.nio.ch.NativeThread", true, null);
            return null;
        } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
            try (FileChannel devNull = FileChannel.open(Path.of("/dev/null"), StandardOpenOption.READ)) {
                devNull.read(ByteBuffer.allocate(1));
                return null;
            } catch (IOException | RuntimeException second) {
                return "NIO's signal handler could not be installed: " + e + "; " + second;
            }
        }
    }

    /**
     * Whether {@code signal} has the JDK's NIO handler: caught (neither default nor ignored), not reset after one
     * delivery, without {@code SA_RESTART} (so {@code flock} returns {@code EINTR}), and the handler's code lies in
     * {@code libnio}. Reads the disposition only; installs nothing.
     */
    public static InterruptSignal check(int signal) {
        try {
            try (Memory action = new Memory(SIGACTION_SIZE); Memory info = new Memory(32)) {
                action.clear();
                if (Signals.sigaction(signal, null, action) != 0) {
                    return refused(signal, "sigaction(" + signal + ") failed");
                }
                long handler = Pointer.nativeValue(action.getPointer(0));
                int flags = action.getInt(SA_FLAGS_OFFSET);
                if (handler == SIG_DFL || handler == SIG_IGN) {
                    return refused(signal, "signal " + signal + " has no handler ("
                            + (handler == SIG_DFL ? "default: it would end the process" : "ignored") + ")");
                }
                if ((flags & SA_RESETHAND) != 0) {
                    return refused(signal, "signal " + signal + "'s handler is reset after one delivery");
                }
                if ((flags & SA_RESTART) != 0) {
                    return refused(signal, "signal " + signal + "'s handler restarts system calls (SA_RESTART)");
                }
                info.clear();
                String library = Signals.dladdr(new Pointer(handler), info) == 0 || info.getPointer(0) == null
                        ? null : info.getPointer(0).getString(0);
                if (library == null || !library.contains("libnio")) {
                    return refused(signal, "signal " + signal + "'s handler is not the JDK's NIO handler (it is in "
                            + library + ")");
                }
                return new InterruptSignal(signal, true, "signal " + signal + " (SIGRTMAX-" + (64 - signal)
                        + "), handled by " + library + " without SA_RESTART", handler, flags);
            }
        } catch (LinkageError | RuntimeException e) {
            return refused(signal, "the signal calls could not be bound: " + e);
        }
    }

    private static InterruptSignal refused(int signal, String why) {
        return new InterruptSignal(signal, false, why + ": waits block in a helper thread");
    }

    /** Whether the check passed: only then may {@link #send} be called. */
    public boolean usable() {
        return usable;
    }

    /** What the check found, for logs and diagnostics. */
    public String describe() {
        return description;
    }

    public int number() {
        return signal;
    }

    /**
     * Whether the calling thread would receive the signal now (it does not block it), so that a call it blocks in
     * can be interrupted. A thread that blocks the signal must not wait on it: it would never be stopped.
     */
    public boolean reachesThisThread() {
        long[] mask = new long[SIGSET_SIZE / Long.BYTES]; // each kernel wait asks: no native memory to free
        if (Signals.pthread_sigmask(Signals.SIG_BLOCK, null, mask) != 0) {
            return false;
        }
        int bit = signal - 1;
        return (mask[bit / 64] & (1L << (bit % 64))) == 0;
    }

    /** The calling thread's {@code pthread_t}, for {@link #send}. */
    public long self() {
        return Signals.pthread_self();
    }

    /**
     * Sends the signal to {@code thread}, after checking that the verified handler is still the one installed; false
     * (nothing sent) when it is not. Only while that thread is known to be alive (it has not left the wait it
     * registered for): a {@code pthread_t} of a thread that ended may name nothing, or another thread.
     */
    public boolean send(long thread) {
        if (!usable) {
            throw new IllegalStateException("Refusing to send " + description);
        }
        if (!stillInstalled()) {
            return false; // replaced since the check (by native code of the application): sending could kill
        }
        Signals.pthread_kill(thread, signal);
        return true;
    }

    // The disposition verified by the check is still in place: same handler, same flags.
    private boolean stillInstalled() {
        try (Memory action = new Memory(SIGACTION_SIZE)) {
            action.clear();
            return Signals.sigaction(signal, null, action) == 0
                    && Pointer.nativeValue(action.getPointer(0)) == handler && action.getInt(SA_FLAGS_OFFSET) == flags;
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
