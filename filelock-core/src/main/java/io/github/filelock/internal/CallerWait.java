package io.github.filelock.internal;

import io.github.filelock.internal.posix.InterruptSignal;
import java.lang.System.Logger.Level;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.spi.AbstractInterruptibleChannel;
import java.util.concurrent.TimeUnit;

/**
 * One wait that blocks in the kernel on the caller's own platform thread (one wake-up per hand-off, not two), and how
 * it is stopped: its deadline, an interrupt of the caller (when interruptible) or a drain of the registry asks it to
 * {@link #stopRequested() stop}, and the kicker thread then sends the {@link InterruptSignal} to the caller until it
 * has left the system call, which returns {@code EINTR}. A signal that lands before the call starts is lost, so it is
 * sent again until the waiter says it is out. The waiter answers by leaving; any other {@code EINTR} (a stray signal)
 * finds no stop asked, and it blocks again.
 *
 * <p>The thread is signalled only under this object's monitor, while it is inside {@link #enter}..{@link #left}: it
 * cannot end meanwhile, so its {@code pthread_t} names it.
 */
public final class CallerWait {

    // Deadlines and kicks: setting and cancelling a deadline per wait does not wake its thread (see Alarms).
    private static final Alarms KICKER = new Alarms("filelock-wait-kicker");
    private static final long FIRST_RESEND_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long MAX_RESEND_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long WARN_AFTER_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** After the warning: a waiter that does not answer is not signalled a hundred times a second for ever. */
    private static final long SLOW_RESEND_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final InterruptSignal signal;
    private final long thread; // the waiter's pthread_t
    private final Drain drain;
    private final Runnable stop = this::stop;
    private final Alarms.Alarm timer; // null when waiting forever
    private final InterruptHook interrupts; // null when not interruptible
    private volatile boolean stopRequested;
    private long stopAt; // when the stop was asked, for the warning; guarded by this
    private boolean replacedReported; // guarded by this
    // guarded by this
    private boolean inCall;
    private boolean over;

    private CallerWait(InterruptSignal signal, long deadline, boolean forever, boolean interruptible, Drain drain) {
        this.signal = signal;
        this.thread = signal.self();
        this.drain = drain;
        this.timer = forever ? null : KICKER.at(deadline, stop);
        this.interrupts = interruptible ? new InterruptHook(stop) : null;
    }

    /**
     * Starts a wait of the calling thread, stopped at {@code deadline} ({@link System#nanoTime()}) unless
     * {@code forever}, on an interrupt when {@code interruptible}, and when {@code drain} starts. End it with
     * {@link #finish}, in a finally block: until then the thread may be signalled.
     */
    static CallerWait start(InterruptSignal signal, long deadline, boolean forever, boolean interruptible,
            Drain drain) {
        CallerWait wait = new CallerWait(signal, deadline, forever, interruptible, drain);
        try {
            drain.onDrain(wait.stop);
            if (wait.interrupts != null) {
                wait.interrupts.watch(); // an interrupt already pending stops the wait at once
            }
        } catch (RuntimeException | Error e) {
            wait.finish(); // no timer or drain may go on signalling a thread that is not waiting
            throw e;
        }
        return wait;
    }

    /**
     * The waiter is about to block in a system call that the signal interrupts. False once a stop was asked: then it
     * must not block (again), and leaves.
     */
    public synchronized boolean enter() {
        if (stopRequested) {
            return false;
        }
        inCall = true;
        return true;
    }

    /** The waiter is out of the system call, whichever way it returned. */
    public synchronized void left() {
        inCall = false;
    }

    /** Whether a stop was asked (deadline, interrupt or drain); the caller then tells which. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /** The wait is over: no signal is sent to this thread from now on. */
    void finish() {
        synchronized (this) {
            over = true;
            inCall = false;
        }
        if (timer != null) {
            KICKER.cancel(timer);
        }
        drain.forget(stop);
        if (interrupts != null) {
            interrupts.unwatch();
        }
    }

    // From the timer, a drain or Thread.interrupt (under the thread's interrupt lock): quick, never blocks.
    private void stop() {
        if (!stopRequested) {
            stopRequested = true;
            try {
                KICKER.after(0, () -> kick(FIRST_RESEND_NANOS));
            } catch (RuntimeException | Error e) {
                stopRequested = false; // no kicker thread could start: a later stop (the deadline) asks again
                throw e;
            }
        }
    }

    // On the kicker thread: signal while the waiter is in the call, until it says the wait is over. The next kick is
    // scheduled whatever happens here: a chain that died would leave the wait unstoppable.
    private void kick(long pause) {
        boolean warn = false;
        boolean replaced = false;
        long next = Math.min(2 * pause, MAX_RESEND_NANOS);
        try {
            synchronized (this) {
                if (over) {
                    next = -1;
                    return;
                }
                long now = System.nanoTime();
                if (stopAt == 0) {
                    stopAt = now;
                } else if (stopAt != Long.MIN_VALUE && now - stopAt > WARN_AFTER_NANOS) {
                    stopAt = Long.MIN_VALUE; // once
                    warn = true;
                }
                if (stopAt == Long.MIN_VALUE) {
                    next = SLOW_RESEND_NANOS;
                }
                if (inCall && !signal.send(thread) && !replacedReported) {
                    replacedReported = true;
                    replaced = true;
                }
            }
            // logged outside the monitor: a slow log appender must not hold up the waiter's enter() and left()
            if (warn) {
                Log.LOGGER.log(Level.WARNING, "A lock wait has not answered " + signal.describe()
                        + " for 5 s; signalling it once a second from now on");
            }
            if (replaced) {
                Log.LOGGER.log(Level.ERROR, "The handler of " + signal.describe() + " was replaced since it was"
                        + " checked, so a lock wait blocked in flock cannot be stopped (it ends when the lock is"
                        + " granted). Start the JVM with -Dfilelock.flock.callerWaits=false.");
            }
        } finally {
            if (next >= 0) {
                long then = next;
                KICKER.after(pause, () -> kick(then));
            }
        }
    }

    /**
     * Hears {@link Thread#interrupt} of the waiter through the JDK's public hook for interruptible blocking calls: an
     * interrupt of a thread between {@code begin} and {@code end} closes this (one-use) channel, which stops the wait.
     */
    private static final class InterruptHook extends AbstractInterruptibleChannel {

        private final Runnable onInterrupt;

        InterruptHook(Runnable onInterrupt) {
            this.onInterrupt = onInterrupt;
        }

        void watch() {
            begin();
        }

        void unwatch() {
            try {
                end(true);
            } catch (AsynchronousCloseException interruptedMeanwhile) {
                // the thread's interrupt status stays set: the caller reports it
            }
        }

        @Override
        protected void implCloseChannel() {
            onInterrupt.run();
        }
    }
}
