package io.github.filelock.internal;

import io.github.filelock.LockHolder;
import io.github.filelock.LockMode;
import io.github.filelock.spi.LockSlot;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everything this JVM knows about one key: the fair gate that orders its holders, who holds it, and the one backend
 * slot through which its cross-process lock is taken.
 *
 * <p>Two levels. First the {@link #gate}: a fair gate where a shared holder takes one permit and an exclusive holder
 * takes them all, so callers are served in arrival order and a queued writer holds back later readers. Only holders
 * inside the gate touch the backend lock, and they share it: the first one in takes it, the last one out lets it go
 * ({@link #claims}). The lock is tried once without blocking; if that fails, one thread of the wait pool blocks in
 * {@link LockSlot#lock} per key and mode, and callers join that one wait ({@link #joinWait}): threads park on it with
 * their own deadline and interrupt handling, async callers chain on it. When the last caller leaves a wait, the slot
 * is asked to {@link LockSlot#abandon() abandon} it; whatever it is granted anyway is let go at once. With independent
 * slots (flock) a caller in the other mode does not queue behind an abandoned wait: that wait is retired onto its own
 * slot.
 *
 * <p>The fields below the monitor comment are guarded by {@code this}.
 */
final class KeyEntry {

    final String key;
    final Path file; // for diagnostics; null on backends without files
    final Gate gate = new Gate();
    /** Holders in this JVM, keyed by their thread, or by the hold itself for detached holds. */
    final ConcurrentHashMap<Object, LocalHolding> holders = new ConcurrentHashMap<>();
    private final LockSpace space;

    // guarded by this
    private LockSlot slot;
    private LockMode heldMode; // null while this JVM does not hold the backend lock
    private int claims; // holders inside the gate that rely on the backend lock
    private CompletableFuture<Void> pending; // a wait-pool thread blocked in slot.lock
    private LockMode pendingMode;
    private int pendingClaims; // callers waiting for `pending`
    // Independent slots only: a wait nobody counted on any more, set aside so that it cannot keep out a request in
    // the other mode. It keeps its own slot until the backend answers; then it lets go and closes it, unless it was
    // adopted again (made `pending`) meanwhile. At most one, never in the mode of `pending`: so at most one wait per
    // mode, and two slots, per key.
    private CompletableFuture<Void> retired;
    private LockMode retiredMode;
    private LockSlot retiredSlot;
    // Users of this entry (callers inside acquire or holding, pending waits); -1 once evicted. Atomic, not under the
    // monitor: every acquire and release touches it, and contending threads must not queue here.
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

    synchronized boolean hasSlot() {
        return slot != null;
    }

    /** Closes the slot of an idle entry (a file backend may delete its idle file then). */
    boolean tryEvict() {
        LockSlot closing;
        synchronized (this) {
            if (heldMode != null || pending != null || !users.compareAndSet(0, -1)) {
                return false;
            }
            closing = slot;
            slot = null;
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
    synchronized boolean tryLock(LockMode mode) throws IOException {
        if (heldMode != null) {
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
        CompletableFuture<Void> abandoned = pending;
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

    /** The wait a caller follows; {@code joined} when the caller is counted among its claims. */
    record Wait(CompletableFuture<Void> done, boolean joined) {
    }

    /**
     * Takes the lock at once, or joins the one wait for it (starting it if none is under way).
     *
     * @return null when the lock was taken; otherwise the wait. A joined caller holds the lock once {@code done}
     *     completes normally. A wait in the other mode cannot serve the caller: let it finish, then join again.
     */
    synchronized Wait joinWait(LockMode mode) throws IOException {
        if (tryLock(mode)) {
            return null;
        }
        if (pending == null) {
            pendingMode = mode;
            pending = startWait(mode);
        }
        boolean joined = pendingMode == mode;
        if (joined) {
            pendingClaims++;
        }
        return new Wait(pending, joined);
    }

    /**
     * Waits for the lock until {@code deadline} ({@link System#nanoTime()}), or forever when {@code forever} is set,
     * or until {@code drain} starts.
     *
     * @return true when acquired, false on timeout
     */
    boolean await(LockMode mode, long deadline, boolean forever, boolean interruptible, Drain drain)
            throws IOException, InterruptedException {
        while (true) {
            Wait wait = joinWait(mode);
            if (wait == null) {
                return true;
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
        synchronized (this) {
            if (pending == wait) {
                if (--pendingClaims == 0) {
                    abandoning = slot; // still waiting: the thread lets go at once of whatever it gets
                }
            } else if (wait.isCompletedExceptionally()) {
                return false;
            } else if (!abandon) {
                return true;
            } else {
                releaseClaim();
                return false;
            }
        }
        abandoning.abandon(); // outside the monitor: a server backend cancels over the network
        return false;
    }

    private CompletableFuture<Void> startWait(LockMode mode) throws IOException {
        users.incrementAndGet(); // the waiting thread keeps this entry (and its slot) alive
        CompletableFuture<Void> done = new CompletableFuture<>();
        LockSlot waitingOn = slot();
        space.waitPool().execute(() -> waitUntilLocked(waitingOn, mode, done));
        return done;
    }

    // On a thread of the wait pool: blocks in the backend until granted or abandoned.
    private void waitUntilLocked(LockSlot waitingOn, LockMode mode, CompletableFuture<Void> done) {
        boolean granted = false;
        boolean setAside = false;
        try {
            while (true) {
                granted = waitingOn.lock(mode);
                synchronized (this) {
                    if (pending != done) {
                        forgetRetired(done);
                        setAside = true; // nobody waits on this slot now: let go (below) and close it
                        break;
                    }
                    if (granted) {
                        pending = null;
                        heldMode = mode;
                        claims = pendingClaims;
                        pendingClaims = 0;
                        if (claims == 0) {
                            unlock(); // every waiter gave up and nobody took their place
                        }
                        break;
                    }
                    if (pendingClaims == 0) {
                        pending = null; // abandoned, and nobody joined since: end the wait without a lock
                        break;
                    }
                    // abandoned, but a caller joined since: wait again for it
                }
            }
            done.complete(null);
        } catch (Throwable t) {
            synchronized (this) {
                if (pending == done) {
                    pending = null;
                    pendingClaims = 0;
                } else {
                    forgetRetired(done);
                    setAside = true;
                }
            }
            done.completeExceptionally(t);
        } finally {
            if (setAside) {
                if (granted) {
                    unlockQuietly(waitingOn);
                }
                closeQuietly(waitingOn);
            }
            space.release(this);
        }
    }

    // The backend answered a retired wait: it can no longer be adopted. Its thread closes its slot.
    private void forgetRetired(CompletableFuture<Void> done) {
        if (retired == done) {
            retired = null;
            retiredMode = null;
            retiredSlot = null;
        }
    }

    /** A holder leaves the gate: the last one lets go of the backend lock. */
    synchronized void releaseClaim() {
        if (--claims == 0) {
            unlock();
        }
    }

    /** The slot's next fencing token; only while this JVM holds the lock EXCLUSIVE (the caller checked its hold). */
    synchronized long nextFencingToken(boolean durable) throws IOException {
        if (heldMode != LockMode.EXCLUSIVE) {
            throw new IllegalStateException("Lock '" + LockNames.abbreviate(key) + "' is not held EXCLUSIVE by this"
                    + " JVM now: a fencing token is given only under the exclusive lock");
        }
        TestHooks.reach("KeyEntry.fencing", file);
        return slot.nextFencingToken(durable);
    }

    /** Publishes the holder where other processes read it; under the monitor, as every use of the slot. */
    synchronized void describeHolder(LockHolder holder) {
        slot.describeHolder(holder);
    }

    private void unlock() {
        heldMode = null;
        claims = 0;
        unlockQuietly(slot);
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
