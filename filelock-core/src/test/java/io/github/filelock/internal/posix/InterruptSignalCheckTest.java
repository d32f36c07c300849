package io.github.filelock.internal.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every way the check of {@link InterruptSignal} refuses a signal, on real dispositions of a spare real-time signal
 * set with {@code sigaction(2)}: the default, ignored, the JDK's NIO handler with {@code SA_RESTART} or reset after
 * one delivery, a handler outside {@code libnio}; and the NIO handler as the JDK installs it, accepted. The check
 * only reads dispositions; nothing here ever sends the signal, and the spare signal's default is put back after each.
 */
class InterruptSignalCheckTest {

    private static final int SPARE = 41; // SIGRTMIN+7: nothing in the JVM uses it
    private static final int SA_RESTART = 0x10000000;
    private static final int SA_RESETHAND = 0x80000000;
    private static final int SA_FLAGS_OFFSET = 136;

    private final Memory saved = new Memory(256);

    @BeforeEach
    void spareSignalAtItsDefault() {
        Platform platform = Platform.current();
        assumeTrue(platform != null && platform.linux(), "Linux only");
        saved.clear();
        assertThat(Signals.sigaction(SPARE, null, saved)).isZero();
        assumeTrue(Pointer.nativeValue(saved.getPointer(0)) == 0, "signal " + SPARE + " is in use here");
        assertThat(InterruptSignal.nio().usable()).as(InterruptSignal.nio().describe()).isTrue();
    }

    @AfterEach
    void putTheDefaultBack() {
        assertThat(Signals.sigaction(SPARE, saved, null)).isZero();
    }

    @Test
    void theDefaultDispositionIsRefused() {
        assertRefused("signal 41 has no handler (default: it would end the process): waits block in a helper thread");
    }

    @Test
    void anIgnoredSignalIsRefused() {
        install(new Pointer(1), 0);
        assertRefused("signal 41 has no handler (ignored)");
    }

    @Test
    void theNioHandlerRestartingSystemCallsIsRefused() {
        install(nioHandler(), SA_RESTART);
        assertRefused("restarts system calls (SA_RESTART)");
    }

    @Test
    void theNioHandlerResetAfterOneDeliveryIsRefused() {
        install(nioHandler(), SA_RESETHAND);
        assertRefused("reset after one delivery");
    }

    @Test
    void aHandlerOutsideTheJdksNioIsRefused() {
        install(NativeLibrary.getInstance(com.sun.jna.Platform.C_LIBRARY_NAME).getFunction("getpid"), 0);
        assertRefused("is not the JDK's NIO handler (it is in ");
    }

    @Test
    void theNioHandlerAsTheJdkInstallsItIsAccepted() {
        install(nioHandler(), 0);
        InterruptSignal checked = InterruptSignal.check(SPARE);
        assertThat(checked.usable()).as(checked.describe()).isTrue();
        assertThat(checked.describe()).contains("libnio", "without SA_RESTART");
    }

    @Test
    void aHandlerReplacedAfterTheCheckIsNotSignalled() {
        install(nioHandler(), 0);
        InterruptSignal checked = InterruptSignal.check(SPARE);
        assertThat(checked.usable()).isTrue();
        install(nioHandler(), SA_RESTART); // replaced, by something harmless should it be delivered anyway
        assertThat(checked.send(Signals.pthread_self())).as("sent despite the replaced handler").isFalse();
        install(nioHandler(), 0);
        assertThat(checked.send(Signals.pthread_self())).as("the verified handler is back: NIO's empty one").isTrue();
    }

    @Test
    void aThreadThatBlocksTheSignalIsNotReachedByIt() throws Exception {
        InterruptSignal nio = InterruptSignal.nio();
        boolean[] reached = new boolean[2];
        int[] blocked = {-1};
        Thread thread = new Thread(() -> {
            reached[0] = nio.reachesThisThread();
            long[] set = new long[16];
            int bit = InterruptSignal.NIO_SIGNAL - 1;
            set[bit / 64] = 1L << (bit % 64);
            blocked[0] = Signals.pthread_sigmask(Signals.SIG_BLOCK, set, null); // this thread's mask only
            reached[1] = nio.reachesThisThread();
        }, "blocks-the-signal");
        thread.start();
        thread.join(10_000);
        assertThat(blocked[0]).isZero();
        assertThat(reached[0]).as("reached before blocking it").isTrue();
        assertThat(reached[1]).as("reached after blocking it").isFalse();
    }

    private void assertRefused(String why) {
        InterruptSignal checked = InterruptSignal.check(SPARE);
        assertThat(checked.usable()).isFalse();
        assertThat(checked.describe()).contains(why);
        // Checked above first: a refused signal is never sent (this one would end the JVM, at its default).
        assertThat(catchThrowable(() -> checked.send(Signals.pthread_self())))
                .isInstanceOf(IllegalStateException.class);
    }

    private static Pointer nioHandler() {
        try (Memory action = new Memory(256)) {
            action.clear();
            assertThat(Signals.sigaction(InterruptSignal.NIO_SIGNAL, null, action)).isZero();
            return action.getPointer(0);
        }
    }

    // Only dispositions that do nothing if ever delivered (ignored, the NIO handler's empty body, getpid).
    private static void install(Pointer handler, int flags) {
        try (Memory action = new Memory(256)) {
            action.clear();
            action.setPointer(0, handler);
            action.setInt(SA_FLAGS_OFFSET, flags);
            assertThat(Signals.sigaction(SPARE, action, null)).isZero();
        }
    }
}
