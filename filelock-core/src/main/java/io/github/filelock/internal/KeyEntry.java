package io.github.filelock.internal;

import io.github.filelock.LockHolder;
import io.github.filelock.LockMode;
import io.github.filelock.internal.posix.InterruptSignal;
import io.github.filelock.spi.LockSlot;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Everything this JVM knows about one key: the fair gate that orders its holders, who holds it, and the one backend
 * slot through which its cross-process lock is taken.
 *
 * <p>Two levels. First the {@link #gate}: a fair gate where a shared holder takes one permit and an exclusive holder
 * takes them all, so callers are served in arrival order and a queued writer holds back later readers. Only holders
 * inside the gate touch the backend lock, and they share it: the first one in takes it, the last one out lets it go
 * ({@link #claims}). The lock is tried once without blocking; if that fails, one thread of the wait pool blocks in
 * {@link LockSlot#lock} per key and mode, and callers join that one wait ({@link #joinWait}): threads park on it with
 * their own deadline and interrupt handling, async callers chain on it. Where the slot can be stopped by a signal
 * (flock on Linux), a platform thread that starts the wait blocks in it itself instead ({@link #blockHere}), so a
 * release wakes it directly; readers that joined it wait on in a helper thread if it leaves first. When the last caller
 * leaves a wait, the slot is asked to {@link LockSlot#abandon() abandon} it; whatever it is granted anyway is let go at
 * once. With independent slots (flock) a caller in the other mode does not queue behind an abandoned wait: that wait is
 * retired onto its own slot. Beyond the space's bound of wait threads a wait is polled instead, on one shared thread,
 * without blocking.
 *
 * <p>Cohort hand-off (issue 16; Dice, Marathe and Shavit, "Lock Cohorting", PPoPP 2012): on a backend that supports
 * it (kernel locks), when the last exclusive holder leaves while a writer of this JVM is queued first in the gate, the
 * lock is kept for that writer ({@link #releaseClaimForNext}) instead of being let go and taken again. That saves two
 * system calls per hand-off, and no other process slips in between two local holders. Before the next holder relies on
 * a kept lock, the slot confirms it as it would a fresh one ({@link LockSlot#confirmHeld}: the file at the path is
 * still ours). Bounded by {@link CohortBound}: then the lock is let go once, and the kernel wakes the waiters of other
 * processes. A kept lock nobody comes for (the queued writer gave up) is let go once the gate is empty
 * ({@link #releaseGate}).
 *
 * <p>The fields below the lock comment are guarded by {@link #lock}: a {@code ReentrantLock}, not a monitor, because
 * it is held across non-blocking native calls ({@code flock(LOCK_NB)}, the holder record's {@code pwrite}) by callers
 * that may be virtual threads, and a virtual thread queuing on a monitor pins its carrier on JDK 21 to 23.
 */
final class KeyEntry {

    final String key;
    final Path file; // for diagnostics; null on backends without files
    final Gate gate = new Gate();
    /** Holders in this JVM, keyed by their thread, or by the hold itself for detached holds. */
    final ConcurrentHashMap<Object, LocalHolding> holders = new ConcurrentHashMap<>();
    private final LockSpace space;
    private final ReentrantLock lock = new ReentrantLock();

    private final boolean cohort; // whether the backend lets a held lock pass between holders here

    // guarded by lock
    private LockSlot slot;
    private final CohortBound bound = new CohortBound();
    // Set (under the lock) while the lock is kept for a queued writer with no claim on it yet; read without the lock
    // so that a gate release that kept nothing costs no lock.
    private volatile boolean kept;
    private LockMode heldMode; // null while this JVM does not hold the backend lock
    private int claims; // holders inside the gate that rely on the backend lock
    private Pending pending; // a wait-pool thread blocked in slot.lock, or a polled wait
    private LockMode pendingMode;
    private int pendingClaims; // callers waiting for `pending`
    // Independent slots only: a wait nobody counted on any more, set aside so that it cannot keep out a request in
    // the other mode. It keeps its own slot until the backend answers; then it lets go and closes it, unless it was
    // adopted again (made `pending`) meanwhile. At most one, never in the mode of `pending`: so at most one wait per
    // mode, and two slots, per key.
    private Pending retired;
    private LockMode retiredMode;
    private LockSlot retiredSlot;
    // Users of this entry (callers inside acquire or holding, pending waits); -1 once evicted. Atomic, not under the
    // lock: every acquire and release touches it, and contending threads must not queue here.
    private final AtomicInteger users = new AtomicInteger();
    // Open until an evicted entry's slot is closed. A replacement entry waits for it: with fcntl locks a close after
    // the replacement locked the file would drop the replacement's lock.
    private final CountDownLatch closed = new CountDownLatch(1);
    // When this entry was last let go (the space's use counter), so eviction closes the least recently used.
    volatile long lastUsed;

    KeyEntry(LockSpace space, String key) {
        this.space = space;
        this.key = key;
        this.file = space.fileOf(key);
        this.cohort = space.backend().supportsCohortHandOff();
    }

    static int permits(LockMode mode) {
        return mode == LockMode.EXCLUSIVE ? Gate.ALL_PERMITS : 1;
    }

    // ---- reference counting: an entry in use is never evicted --------------------------------------

    boolean retain() {
        while (true) {
            int current = users.get();
            if (current < 0) {
                return false; // evicted
            }
            if (users.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    int releaseUse() {
        return users.decrementAndGet();
    }

    boolean hasSlot() {
        lock.lock();
        try {
            return slot != null;
        } finally {
            lock.unlock();
        }
    }

    /** Closes the slot of an idle entry (a file backend may delete its idle file then). */
    boolean tryEvict() {
        LockSlot closing;
        lock.lock();
        try {
            if (heldMode != null || pending != null || !users.compareAndSet(0, -1)) {
                return false;
            }
            closing = slot;
            slot = null;
        } finally {
            lock.unlock();
        }
        TestHooks.reach("KeyEntry.evicting", file);
        try {
            if (closing != null) {
                closeQuietly(closing);
            }
        } finally {
            closed.countDown();
        }
        return true;
    }

    /** Waits until an evicted entry has closed its slot, so that a replacement may open one. */
    void awaitClosed() {
        boolean interrupted = false;
        while (true) {
            try {
                closed.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the close is quick and bounded: finish waiting, keep the interrupt
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the backend lock, used only by holders inside the gate ------------------------------------------

    /**
     * Claims the backend lock if this JVM already has it, or takes it with one non-blocking attempt. The gate
     * guarantees that whoever is inside asks for a compatible mode.
     */
    boolean tryLock(LockMode mode) throws IOException {
        lock.lock();
        try {
            return tryLockLocked(mode);
        } finally {
            lock.unlock();
        }
    }

    private boolean tryLockLocked(LockMode mode) throws IOException {
        if (kept) {
            confirmKept(mode);
        }
        if (heldMode != null) {
            if (!slot.isValid()) {
                // Joining a lost hold would put the caller beside whoever took the lock since (a soft-rw writer).
                throw new IOException("this JVM's " + heldMode + " hold of it was lost (another process may hold it"
                        + " now) and " + claims + " holder(s) here have not let go yet, so a new holder cannot join"
                        + " that hold. Try again once they have released it.");
            }
            if (heldMode == LockMode.SHARED && mode == LockMode.EXCLUSIVE) {
                // The gate never lets a writer in beside readers, so this is lost accounting. Granting it would
                // let readers of other processes in beside our writer; converting would drop our readers' lock.
                throw new IllegalStateException("Lock '" + LockNames.abbreviate(key) + "' is held SHARED by this JVM,"
                        + " yet an EXCLUSIVE holder entered its gate: the engine's hold accounting is broken. Refusing"
                        + " the hold; please report this as a bug.");
            }
            claims++; // an exclusive lock covers a shared claim
            return true;
        }
        if (pending != null && !retireAbandonedWait(mode)) {
            return false;
        }
        if (slot().tryLock(mode)) {
            heldMode = mode;
            claims = 1;
            return true;
        }
        if (pending == null && retired != null && retiredMode == mode) {
            adoptRetiredWait(); // our request would only start a second wait in that mode: join that one
        }
        return false;
    }

    // A lock kept for the next writer is confirmed as a fresh lock would be, or let go (then taken afresh): it may
    // have been lost, or its file replaced, while nobody held it, and nobody was there to be told. A reader let in
    // because that writer gave up takes a shared lock of its own: the kept EXCLUSIVE one would shut out the readers
    // of other processes for as long as readers here overlap.
    private void confirmKept(LockMode mode) throws IOException {
        kept = false;
        boolean confirmed = false;
        try {
            confirmed = mode == LockMode.EXCLUSIVE && slot.isValid() && slot.confirmHeld();
        } finally {
            if (!confirmed) {
                unlock();
            }
        }
    }

    /**
     * Lets a wait in the other mode go on without us, so that it cannot keep out a request it would only delay. The
     * gate admits one mode at a time, so such a wait was abandoned: nobody counts on it. Only where slots are
     * independent: the wait keeps its slot (and lets go of whatever it gets, then closes it) while this entry opens a
     * fresh one. Elsewhere a second slot would interfere with the first, and the wait is waited out. Bounded: a
     * retired wait in the requested mode is adopted again rather than a new one started, so a key never has more than
     * one wait per mode (each flip of mode swaps the two), however often callers time out.
     *
     * @return true when the caller may try the lock on a fresh slot; false when it should join {@code pending}
     */
    private boolean retireAbandonedWait(LockMode mode) {
        if (pendingMode == mode || pendingClaims > 0 || !space.backend().independentSlots()
                || (retired != null && retiredMode != mode)) { // the last never happens: see `retired`
            return false;
        }
        Pending abandoned = pending;
        LockMode abandonedMode = pendingMode;
        LockSlot abandonedSlot = slot; // the waiting thread's slot
        pending = null;
        pendingMode = null;
        slot = null;
        if (retired != null) {
            // Already one set aside, so in our mode (never in the mode of `pending`): it is waiting for what we
            // want, and no second slot or thread may start for it. Adopt it and set this one aside instead.
            adoptRetiredWait();
        }
        retired = abandoned;
        retiredMode = abandonedMode;
        retiredSlot = abandonedSlot;
        return pending == null; // adopted: the caller joins that wait, no attempt of its own
    }

    /**
     * Makes the retired wait the pending one again, with its slot as this entry's slot. Only while this JVM holds no
     * lock and no wait is pending: the slot it replaces is then idle, and it is closed (independent slots: closing
     * one drops nobody's lock).
     */
    private void adoptRetiredWait() {
        if (slot != null) {
            LockSlot idle = slot;
            slot = null;
            closeQuietly(idle);
        }
        pending = retired;
        pendingMode = retiredMode;
        pendingClaims = 0;
        slot = retiredSlot;
        retired = null;
        retiredMode = null;
        retiredSlot = null;
    }

    /**
     * The wait a caller follows; {@code joined} when the caller is counted among its claims. With {@code here} set,
     * the caller started it and blocks in it itself, in {@code here}, stopped by {@code signal}.
     */
    record Wait(CompletableFuture<Void> done, boolean joined, KernelLockSlot<?> here, InterruptSignal signal) {

        Wait(CompletableFuture<Void> done, boolean joined) {
            this(done, joined, null, null);
        }
    }

    /**
     * Takes the lock at once, or joins the one wait for it (starting it if none is under way).
     *
     * @return null when the lock was taken; otherwise the wait. A joined caller holds the lock once {@code done}
     *     completes normally. A wait in the other mode cannot serve the caller: let it finish, then join again.
     */
    Wait joinWait(LockMode mode) throws IOException {
        return joinWait(mode, false);
    }

    /**
     * As {@link #joinWait(LockMode)}. With {@code mayBlockHere} (a platform thread that waits synchronously), a wait
     * that this caller starts blocks in the caller's own thread when the slot can be stopped there: the returned
     * wait's {@code here} is set, and the caller must then run it ({@link #blockHere}).
     */
    Wait joinWait(LockMode mode, boolean mayBlockHere) throws IOException {
        lock.lock();
        try {
            if (tryLockLocked(mode)) {
                return null;
            }
            KernelLockSlot<?> here = null;
            InterruptSignal signal = null;
            if (pending == null) {
                pendingMode = mode;
                if (mayBlockHere && slot() instanceof KernelLockSlot<?> kernel
                        && (signal = kernel.callerWaitSignal()) != null && signal.reachesThisThread()) {
                    here = kernel;
                    users.incrementAndGet(); // as startWait: the wait keeps this entry (and its slot) alive
                    pending = new Pending();
                } else {
                    pending = startWait(mode);
                }
            }
            boolean joined = pendingMode == mode;
            if (joined) {
                pendingClaims++;
            }
            return here == null ? new Wait(pending, joined) : new Wait(pending, true, here, signal);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for the lock until {@code deadline} ({@link System#nanoTime()}), or forever when {@code forever} is set,
     * or until {@code drain} starts.
     *
     * @return true when acquired, false on timeout
     */
    boolean await(LockMode mode, long deadline, boolean forever, boolean interruptible, Drain drain)
            throws IOException, InterruptedException {
        boolean mayBlockHere = mayBlockInKernel(Thread.currentThread());
        while (true) {
            Wait wait = joinWait(mode, mayBlockHere);
            if (wait == null) {
                return true;
            }
            if (wait.here != null) {
                return blockHere(wait, mode, deadline, forever, interruptible, drain);
            }
            try {
                Waits.await(wait.done, deadline, forever, interruptible, drain); // a drain ends it as a timeout
            } catch (TimeoutException e) {
                return wait.joined && leaveWait(wait.done, false);
            } catch (InterruptedException e) {
                if (wait.joined) {
                    leaveWait(wait.done, true);
                }
                throw e;
            } catch (ExecutionException | CompletionException e) {
                throw failure(e.getCause());
            }
            if (wait.joined) {
                return true; // the waiting thread counted us among the claims
            }
        }
    }

    // Never a virtual thread (it would pin its carrier in flock), nor a fork-join worker: parked on a future, it lets
    // its pool add a thread meanwhile (managed blocking), which a worker blocked in native code would not.
    private static boolean mayBlockInKernel(Thread caller) {
        return !(caller instanceof ForkJoinWorkerThread) && !VirtualThreads.isVirtual(caller);
    }

    /**
     * Runs a wait this caller started in its own thread ({@link Wait#here}): one wake-up per hand-off, where a helper
     * thread would need two. Its deadline, an interrupt or a drain stops it through a {@link CallerWait}. Stopped
     * while other callers (readers) joined it, the wait goes on in a helper thread for them.
     *
     * @return true when acquired, false on timeout or drain
     */
    private boolean blockHere(Wait wait, LockMode mode, long deadline, boolean forever, boolean interruptible,
            Drain drain) throws IOException, InterruptedException {
        Pending done = (Pending) wait.done;
        KernelLockSlot<?> here = wait.here;
        boolean granted;
        CallerWait stopper = null;
        try {
            // start cleans up after itself if it fails
            stopper = CallerWait.start(wait.signal, deadline, forever, interruptible, drain);
            TestHooks.reach("KeyEntry.blocking", here);
            try {
                granted = here.lockInCaller(mode, stopper);
            } finally {
                TestHooks.reach("KeyEntry.unblocked", here);
            }
        } catch (Throwable t) {
            if (stopper != null) {
                stopper.finish();
            }
            failed(here, done, t); // the wait and its claims go, so later callers of this key do not wait for it
            throw failure(t);
        }
        stopper.finish(); // no signal reaches this thread from here on
        if (endHere(here, mode, done, granted)) {
            return true;
        }
        if (interruptible && Thread.interrupted()) {
            throw new InterruptedException("interrupted while waiting for lock '" + LockNames.abbreviate(key) + "'");
        }
        return false; // the deadline passed, or the registry drains (ends as a timeout)
    }

    // The caller's own wait ended: granted (it holds the lock, with any readers that joined), or stopped.
    private boolean endHere(KernelLockSlot<?> here, LockMode mode, Pending done, boolean granted) {
        boolean setAside = false;
        boolean held = false;
        Runnable handOver = null;
        lock.lock();
        try {
            if (pending != done) {
                forgetRetired(done); // never: the caller's own claim keeps its wait from being retired
                setAside = true;
            } else if (granted) {
                pending = null;
                heldMode = mode;
                claims = pendingClaims;
                pendingClaims = 0;
                held = true;
            } else if (--pendingClaims == 0) {
                pending = null; // nobody else waits: end the wait without a lock
            } else if (space.takeWaitThread()) {
                handOver = () -> space.waitPool().execute(() -> block(here, mode, done));
            } else {
                done.polled = true;
                handOver = () -> space.pollLater(() -> poll(here, mode, done, FIRST_POLL_NANOS), FIRST_POLL_NANOS);
            }
        } finally {
            lock.unlock();
        }
        if (handOver != null) {
            handOver.run(); // readers that joined wait on; the wait keeps its use of this entry
            return false;
        }
        try {
            done.complete(null);
        } finally {
            end(here, setAside, granted);
        }
        return held;
    }

    IOException failure(Throwable cause) {
        return cause instanceof IOException io ? io : new IOException("Waiting for lock '"
                + LockNames.abbreviate(key) + "' failed", cause);
    }

    /**
     * A joined caller leaves its wait; returns true if the lock arrived in the meantime and the caller keeps it
     * (never when {@code abandon}: then a lock that arrived is let go). The last caller out asks the slot to abandon
     * the wait.
     */
    boolean leaveWait(CompletableFuture<Void> wait, boolean abandon) {
        LockSlot abandoning = null;
        lock.lock();
        try {
            if (pending == wait) {
                // The last one out stops a blocked wait (it lets go at once of whatever it gets); a polled wait
                // ends at its next poll, and a backend must not be asked to cancel a wait that is not running.
                if (--pendingClaims == 0 && !pending.polled) {
                    abandoning = slot;
                }
            } else if (wait.isCompletedExceptionally()) {
                return false;
            } else if (!abandon) {
                return true;
            } else {
                releaseClaim();
                return false;
            }
        } finally {
            lock.unlock();
        }
        if (abandoning != null) {
            abandoning.abandon(); // outside the lock: a server backend cancels over the network
        }
        return false;
    }

    /** The one wait of a key and mode, completed once the backend answered it. */
    private static final class Pending extends CompletableFuture<Void> {
        boolean polled; // guarded by the entry's lock: beyond the bound, polled instead of blocked in a wait thread
    }

    private enum Next { OVER, AGAIN, BLOCK }

    // Polls back off from FIRST_POLL to MAX_POLL: a polled wait sees a release at most MAX_POLL late.
    private static final long FIRST_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private Pending startWait(LockMode mode) throws IOException {
        users.incrementAndGet(); // the wait keeps this entry (and its slot) alive
        Pending done = new Pending();
        LockSlot waitingOn = slot();
        if (space.takeWaitThread()) {
            space.waitPool().execute(() -> block(waitingOn, mode, done));
        } else {
            done.polled = true; // every wait thread of the space is taken: no thread blocks for this one
            space.pollLater(() -> poll(waitingOn, mode, done, FIRST_POLL_NANOS), FIRST_POLL_NANOS);
        }
        return done;
    }

    // On a thread of the wait pool (a platform thread): blocks in the backend until granted or abandoned.
    private void block(LockSlot waitingOn, LockMode mode, Pending done) {
        try {
            Next next;
            do {
                boolean granted;
                TestHooks.reach("KeyEntry.blocking", waitingOn);
                try {
                    granted = waitingOn.lock(mode);
                } finally {
                    TestHooks.reach("KeyEntry.unblocked", waitingOn);
                }
                next = answered(waitingOn, mode, done, granted, false);
            } while (next == Next.AGAIN);
        } catch (Throwable t) {
            failed(waitingOn, done, t);
        } finally {
            space.waitThreadDone();
        }
    }

    // On the poll thread: one attempt that does not block, then another later, or a wait thread once one is free.
    private void poll(LockSlot waitingOn, LockMode mode, Pending done, long pause) {
        try {
            TestHooks.reach("KeyEntry.polling", waitingOn);
            Next next = answered(waitingOn, mode, done, waitingOn.tryLock(mode), true);
            if (next == Next.AGAIN) {
                long later = Math.min(2 * pause, MAX_POLL_NANOS);
                space.pollLater(() -> poll(waitingOn, mode, done, later), later);
            } else if (next == Next.BLOCK) {
                space.waitPool().execute(() -> block(waitingOn, mode, done));
            }
        } catch (Throwable t) {
            failed(waitingOn, done, t);
        }
    }

    // The backend answered one attempt of `done`: decides under the lock, and ends the wait if that is all.
    private Next answered(LockSlot waitingOn, LockMode mode, Pending done, boolean granted, boolean polled) {
        boolean setAside = false;
        lock.lock();
        try {
            if (pending != done) {
                forgetRetired(done);
                setAside = true; // nobody waits on this slot now: let go (below) and close it
            } else if (granted) {
                pending = null;
                heldMode = mode;
                claims = pendingClaims;
                pendingClaims = 0;
                if (claims == 0) {
                    unlock(); // every waiter gave up and nobody took their place
                }
            } else if (pendingClaims == 0) {
                pending = null; // abandoned (or polled), and nobody waits now: end the wait without a lock
            } else if (polled && space.takeWaitThread()) {
                done.polled = false; // a wait thread is free again: block in it from now on
                return Next.BLOCK;
            } else {
                return Next.AGAIN; // abandoned but a caller joined since, or polled: try again
            }
        } finally {
            lock.unlock();
        }
        try {
            done.complete(null);
        } finally {
            end(waitingOn, setAside, granted);
        }
        return Next.OVER;
    }

    private void failed(LockSlot waitingOn, Pending done, Throwable t) {
        boolean setAside = false;
        lock.lock();
        try {
            if (pending == done) {
                pending = null;
                pendingClaims = 0;
            } else {
                forgetRetired(done);
                setAside = true;
            }
        } finally {
            lock.unlock();
        }
        try {
            done.completeExceptionally(t);
        } finally {
            end(waitingOn, setAside, false);
        }
    }

    private void end(LockSlot waitingOn, boolean setAside, boolean granted) {
        try {
            if (setAside) {
                if (granted) {
                    unlockQuietly(waitingOn);
                }
                closeQuietly(waitingOn);
            }
        } finally {
            space.release(this);
        }
    }

    // The backend answered a retired wait: it can no longer be adopted. Its thread closes its slot.
    private void forgetRetired(Pending done) {
        if (retired == done) {
            retired = null;
            retiredMode = null;
            retiredSlot = null;
        }
    }

    /** A holder leaves the gate: the last one lets go of the backend lock. */
    void releaseClaim() {
        lock.lock();
        try {
            if (--claims == 0) {
                unlock();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * An exclusive holder leaves: as {@link #releaseClaim}, but the last one out keeps the lock for the writer queued
     * first in the gate, on a backend that supports it and within the {@link CohortBound}. The caller then gives back
     * its gate permits through {@link #releaseGate}.
     */
    void releaseClaimForNext() {
        lock.lock();
        try {
            if (--claims > 0) {
                return;
            }
            if (cohort && heldMode == LockMode.EXCLUSIVE && gate.writerQueuedFirst() && slot.isValid()
                    && bound.allows(System.nanoTime())) {
                kept = true;
                TestHooks.reach("KeyEntry.kept", file);
                return;
            }
            unlock();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the lock is kept for the next writer of this JVM, not claimed yet (read without the lock). */
    boolean keptForNext() {
        return kept;
    }

    /**
     * Gives back gate permits. A kernel lock kept for a queued caller that is no longer there (it gave up between
     * our look at the queue and now) is let go once the gate is empty: whoever enters later takes it afresh.
     */
    void releaseGate(int permits) {
        gate.release(permits);
        if (kept) {
            lock.lock();
            try {
                if (kept && claims == 0 && heldMode != null && gate.idle()) {
                    unlock();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * The slot's next fencing token, for a hold that {@code stillHeld} says is open. Asked under this entry's lock,
     * which every hand-over of the slot takes too: a hold closed after its own check would otherwise get a token above
     * the next holder's.
     */
    long nextFencingToken(boolean durable, BooleanSupplier stillHeld) throws IOException {
        lock.lock();
        try {
            if (!stillHeld.getAsBoolean()) {
                throw new IllegalStateException("This hold of lock '" + LockNames.abbreviate(key) + "' was closed"
                        + " while it asked for a fencing token: a token is given only while the lock is held.");
            }
            if (heldMode != LockMode.EXCLUSIVE) {
                throw new IllegalStateException("Lock '" + LockNames.abbreviate(key) + "' is not held EXCLUSIVE by"
                        + " this JVM now: a fencing token is given only under the exclusive lock");
            }
            TestHooks.reach("KeyEntry.fencing", file);
            return slot.nextFencingToken(durable);
        } finally {
            lock.unlock();
        }
    }

    /**
     * False once the backend found the lock this entry holds lost. A holder granted after that (the loss came between
     * the backend's grant and the hand-out, or a reader joined a lost claim) was in no holder list when it was
     * reported, so the engine asks here.
     */
    boolean claimLost() {
        LockSlot current = slot;
        return current != null && !current.isValid();
    }

    /** Publishes the holder where other processes read it; under the lock, as every use of the slot. */
    void describeHolder(LockHolder holder) {
        lock.lock();
        try {
            slot.describeHolder(holder);
        } finally {
            lock.unlock();
        }
    }

    private void unlock() {
        heldMode = null;
        claims = 0;
        kept = false;
        bound.reset();
        unlockQuietly(slot);
        TestHooks.reach("KeyEntry.letGo", file);
    }

    private LockSlot slot() throws IOException {
        if (slot == null) {
            slot = space.openSlot(key, this::lost);
        }
        return slot;
    }

    // From any thread, when the backend found a lock of this key lost.
    private void lost() {
        space.holdLost(this);
    }

    private void unlockQuietly(LockSlot locked) {
        try {
            locked.unlock();
        } catch (IOException | RuntimeException e) {
            Log.LOGGER.log(Level.WARNING, "Could not unlock '" + LockNames.abbreviate(key) + "'", e);
        }
    }

    private void closeQuietly(LockSlot closing) {
        try {
            closing.close();
        } catch (IOException | RuntimeException e) {
            Log.LOGGER.log(Level.DEBUG, "Could not close the slot of '" + LockNames.abbreviate(key) + "'", e);
        } finally {
            space.slotClosed();
        }
    }
}
