package io.github.filelock.internal;

import io.github.filelock.FileLockException;
import io.github.filelock.FileLockHold;
import io.github.filelock.LockMode;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * One async caller waiting for a busy lock, without a thread: it holds a ticket in the gate, then follows the
 * key's one shared wait, and each step runs when the previous wait completes. Whoever completes {@link #result}
 * first wins: the engine with a hold, a timeout, or the caller ({@code cancel}, {@code orTimeout}); any of the
 * latter gives up the wait at once, and a hold that arrives anyway is released.
 *
 * <p>What the result completes with is the caller's: {@code held} turns the hold into it, and {@code timedOut} the
 * time waited (it may throw, and the result then fails with that), so that a timed try builds no exception.
 *
 * <p>Threads: steps are short and never block (a non-blocking lock attempt, the holder record), so one thread runs
 * them for the whole JVM. The result is completed on a delivery thread, because the caller's continuation (the
 * locked method, for Spring) runs there; a delivery thread lives only while a holder's continuation runs. Both are
 * virtual threads on JDK 21+, platform daemon threads before.
 */
final class AsyncWait<T> {

    // Virtual threads where the JDK has them (neither blocks in native code for longer than a non-blocking call).
    private static final ScheduledExecutorService STEPS = DaemonThreads.virtualOrSerial("filelock-async-steps");
    private static final ExecutorService DELIVERY = DaemonThreads.virtualOrCachedPool("filelock-async-");

    final CompletableFuture<T> result = new CompletableFuture<>();
    private final Function<FileLockHold, T> held;
    private final Function<Duration, T> timedOut;
    private final LockEngine engine;
    private final KeyEntry entry;
    private final String name;
    private final LockMode mode;
    private final int permits;
    private final String caller;
    private final long start = System.nanoTime();
    private final ReentrantLock lock = new ReentrantLock(); // bookkeeping only, never held while blocking
    private Object waitingOn; // the ticket or backend wait this caller follows; null while a step runs, or at the end
    private boolean over; // the result is complete: the next step gives up instead

    /** Starts waiting for {@code entry}, which the caller retained for this wait. */
    AsyncWait(LockEngine engine, KeyEntry entry, String name, LockMode mode, long timeoutNanos,
            Function<FileLockHold, T> held, Function<Duration, T> timedOut) {
        this.engine = engine;
        this.held = held;
        this.timedOut = timedOut;
        this.entry = entry;
        this.name = name;
        this.mode = mode;
        this.permits = KeyEntry.permits(mode);
        this.caller = Thread.currentThread().getName();
        engine.startWaiting(this, name, mode, caller);
        Gate.Ticket ticket = entry.gate.enqueue(permits); // arrival order is call order
        follow(ticket, ticket.granted);
        // A timeout runs on a delivery thread: its exception asks the backend who holds the lock.
        ScheduledFuture<?> timer = timeoutNanos < 0 ? null
                : STEPS.schedule(() -> DELIVERY.execute(this::timeOut), timeoutNanos, TimeUnit.NANOSECONDS);
        // A drain ends the wait as a timeout at once; built on a delivery thread, never on the draining one.
        Runnable drained = () -> DELIVERY.execute(this::timeOut);
        engine.onDrain(drained); // before the forget below can run
        result.whenComplete((hold, error) -> {
            if (timer != null) {
                timer.cancel(false);
            }
            engine.forgetDrain(drained);
            giveUp();
        });
    }

    // Waits for `wait` without a thread; `next` runs on the step thread when it completes.
    private void follow(Object wait, CompletableFuture<?> done) {
        boolean givenUp;
        lock.lock();
        try {
            givenUp = over;
            if (!givenUp) {
                waitingOn = wait;
            }
        } finally {
            lock.unlock();
        }
        if (givenUp) {
            undo(wait);
        } else {
            done.whenComplete((v, error) -> STEPS.execute(() -> resume(wait, error)));
        }
    }

    private void resume(Object wait, Throwable error) {
        lock.lock();
        try {
            if (waitingOn != wait) {
                return; // given up meanwhile: giveUp() undid this wait
            }
            waitingOn = null;
        } finally {
            lock.unlock();
        }
        if (wait instanceof KeyEntry.Wait shared) {
            if (error != null) {
                entry.releaseGate(permits); // a failed wait counts nobody among its claims
                fail(entry.failure(error));
            } else if (shared.joined()) {
                grant();
            } else {
                tryLock(); // that wait was in the other mode: try again
            }
        } else {
            tryLock(); // inside the gate
        }
    }

    private void tryLock() {
        KeyEntry.Wait wait;
        try {
            wait = entry.joinWait(mode);
        } catch (IOException | RuntimeException | Error e) {
            entry.releaseGate(permits);
            fail(e);
            return;
        }
        if (wait == null) {
            grant();
        } else {
            follow(wait, wait.done());
        }
    }

    private void grant() {
        FileLockHold hold;
        try {
            hold = engine.grant(entry, name, mode, caller, null);
        } catch (RuntimeException | Error e) {
            entry.releaseClaim();
            entry.releaseGate(permits);
            fail(e);
            return;
        }
        engine.space().doneWaiting(this);
        DELIVERY.execute(() -> {
            if (!result.complete(held.apply(hold))) {
                hold.close(); // the caller gave up meanwhile
            }
        });
    }

    private void timeOut() {
        if (!result.isDone()) {
            T value;
            try {
                value = timedOut.apply(Duration.ofNanos(System.nanoTime() - start));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
                return;
            }
            result.complete(value);
        }
    }

    private void fail(Throwable error) {
        end();
        Throwable reported = error instanceof IOException io
                ? new FileLockException("Cannot lock '" + LockNames.abbreviate(name) + "': " + io.getMessage(), io)
                : error;
        DELIVERY.execute(() -> result.completeExceptionally(reported));
    }

    // The result is complete (by anyone): stop following whatever wait is under way.
    private void giveUp() {
        Object wait;
        lock.lock();
        try {
            over = true;
            wait = waitingOn;
            waitingOn = null;
        } finally {
            lock.unlock();
        }
        if (wait != null) {
            undo(wait); // otherwise a step is running, and stops at its next wait or releases its hold
        }
    }

    private void undo(Object wait) {
        if (wait instanceof KeyEntry.Wait shared) {
            if (shared.joined()) {
                entry.leaveWait(shared.done(), true);
            }
            entry.releaseGate(permits);
        } else if (entry.gate.abandon((Gate.Ticket) wait)) {
            entry.releaseGate(permits);
        }
        end();
    }

    private void end() {
        engine.space().doneWaiting(this);
        engine.space().release(entry);
    }
}
