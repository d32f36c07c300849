package io.github.filelock.internal;

import io.github.filelock.FileLockDrainingException;
import io.github.filelock.FileLockException;
import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockInterruptedException;
import io.github.filelock.FileLockTimeoutException;
import io.github.filelock.LocalHold;
import io.github.filelock.LockHolder;
import io.github.filelock.LockMode;
import io.github.filelock.LockStatus;
import io.github.filelock.LockWaiter;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Acquires and releases named locks in one {@link LockSpace}, against its backend's {@code LockSlot}s only: the fair
 * gate, reentrancy, the one shared wait per key and mode, detached holds and minimum hold times are the same for every
 * backend. Diagnostics are answered by a {@link LockInspector}.
 */
public final class LockEngine {

    private static final System.Logger LOG = Log.LOGGER;

    private final LockSpace space;
    private final LockInspector inspector;
    private final Drain drain = new Drain();
    private volatile boolean durableFencingTokens;
    private volatile Predicate<String> interruptOnLoss = name -> false;

    public LockEngine(LockSpace space) {
        this.space = space;
        this.inspector = new LockInspector(space);
        Preload.engine();
    }

    public LockSpace space() {
        return space;
    }

    /** The lock file of {@code name}, or null on a backend without files. */
    public Path lockFile(String name) {
        return space.fileOf(name);
    }

    /**
     * Takes one hold of {@code name}: owned by the calling thread and reentrant, or {@code detached}: owned
     * by the returned hold, closable from any thread and not reentrant (for async work).
     *
     * @param timeoutNanos 0 for one attempt, negative to wait forever
     * @return the hold, or {@code null} when the lock was not free in time
     */
    public FileLockHold tryAcquire(String name, LockMode mode, long timeoutNanos, boolean interruptible,
            boolean detached) {
        refuseUnsupportedMode(name, mode);
        long start = System.nanoTime();
        Thread thread = Thread.currentThread();
        KeyEntry entry = space.retain(name);
        boolean waiting = false;
        boolean success = false;
        try {
            if (!detached) {
                LocalHolding mine = entry.holders.get(thread);
                if (mine != null) {
                    refuseUpgrade(name, mine, mode, thread);
                    mine.increment();
                    success = true;
                    return new ThreadHold(this, entry, mine, thread);
                }
            }
            if (drain.draining()) {
                return null; // shutting down: only a holder's nested hold (above) is still served
            }
            boolean forever = timeoutNanos < 0;
            long deadline = start + Math.max(0, timeoutNanos);
            int permits = KeyEntry.permits(mode);
            if (!entry.gate.tryEnter(permits)) {
                if (timeoutNanos == 0) {
                    return null;
                }
                waiting = startWaiting(thread, name, mode, thread.getName());
                if (!enterGate(entry, permits, deadline, forever, interruptible, drain)) {
                    return null;
                }
            }
            boolean locked = false;
            try {
                locked = entry.tryLock(mode);
                if (!locked && timeoutNanos != 0 && (forever || deadline - System.nanoTime() > 0)) {
                    waiting = waiting || startWaiting(thread, name, mode, thread.getName());
                    locked = entry.await(mode, deadline, forever, interruptible, drain);
                }
                if (!locked) {
                    entry.releaseGate(permits);
                    return null;
                }
                FileLockHold hold = grant(entry, name, mode, thread.getName(), detached ? null : thread);
                success = true;
                return hold;
            } catch (IOException | InterruptedException | RuntimeException | Error e) {
                if (locked) {
                    entry.releaseClaim(); // whatever failed after the backend granted the lock must not keep it
                }
                entry.releaseGate(permits);
                throw e;
            }
        } catch (InterruptedException e) {
            thread.interrupt();
            throw new FileLockInterruptedException(name, e);
        } catch (IOException e) {
            throw new FileLockException("Cannot lock '" + LockNames.abbreviate(name) + "': " + e.getMessage(), e);
        } finally {
            if (waiting) {
                space.doneWaiting(thread);
            }
            if (!success) {
                space.release(entry);
            }
        }
    }

    /** As {@link #tryAcquire}, throwing {@link FileLockTimeoutException} instead of returning null. */
    public FileLockHold acquire(String name, LockMode mode, long timeoutNanos, boolean interruptible,
            boolean detached) {
        long start = System.nanoTime();
        FileLockHold hold = tryAcquire(name, mode, timeoutNanos, interruptible, detached);
        if (hold != null) {
            return hold;
        }
        FileLockTimeoutException timeout = timeoutException(name, Duration.ofNanos(System.nanoTime() - start));
        LOG.log(Level.DEBUG, "Lock ''{0}'' not acquired: {1}", LockNames.abbreviate(name), timeout.getMessage());
        throw timeout;
    }

    // Checked before anything is queued, so the caller gets the reason rather than a backend failure mid-wait.
    private void refuseUnsupportedMode(String name, LockMode mode) {
        if (mode == LockMode.SHARED && !space.type().supportsShared()) {
            throw new UnsupportedOperationException("Lock '" + LockNames.abbreviate(name) + "' was asked for SHARED,"
                    + " but '" + space.type().id() + "' locks are exclusive only: their single marker file cannot"
                    + " count readers, as with the Python class of the same contract. Use type 'soft-rw' (Python's"
                    + " SoftReadWriteLock) for read/write soft locks, or take the lock EXCLUSIVE.");
        }
    }

    private static void refuseUpgrade(String name, LocalHolding mine, LockMode requested, Thread thread) {
        if (mine.mode == LockMode.SHARED && requested == LockMode.EXCLUSIVE) {
            throw new IllegalStateException("Thread " + thread.getName() + " holds lock '" + LockNames.abbreviate(name)
                    + "' SHARED and asks for it EXCLUSIVE: upgrading is not supported, because two readers"
                    + " upgrading at once would wait for each other forever. Release the shared hold first,"
                    + " or take the lock EXCLUSIVE from the start.");
        }
    }

    // Queues in the gate and blocks on the ticket; a ticket given up never disturbs the callers behind it.
    private static boolean enterGate(KeyEntry entry, int permits, long deadline, boolean forever,
            boolean interruptible, Drain drain) throws InterruptedException {
        Gate.Ticket ticket = entry.gate.enqueueThread(permits);
        try {
            Waits.await(ticket, deadline, forever, interruptible, drain); // a drain ends it as a timeout
            return true;
        } catch (TimeoutException e) {
            return entry.gate.abandon(ticket); // granted meanwhile: keep it
        } catch (InterruptedException e) {
            if (entry.gate.abandon(ticket)) {
                entry.releaseGate(permits);
            }
            throw e;
        }
    }

    /**
     * Hands out the hold of a caller that has just got the backend lock: publishes the holder and registers it.
     * On an exception the caller still owns the claim and the gate permits, and must let them go.
     *
     * @param owner the owning thread, or null for a detached hold
     */
    FileLockHold grant(KeyEntry entry, String name, LockMode mode, String threadName, Thread owner) {
        TestHooks.reach("LockEngine.locked", entry.file);
        LocalHolding holding = new LocalHolding(name, mode, threadName,
                Instant.ofEpochMilli(System.currentTimeMillis()),
                drain);
        if (mode == LockMode.EXCLUSIVE) { // readers would overwrite each other's record
            entry.describeHolder(new LockHolder(ProcessIdentity.PID, ProcessIdentity.HOST, Optional.of(threadName),
                    Optional.of(name), holding.since));
        }
        if (owner != null && interruptOnLoss.test(name)) {
            holding.interruptOnLoss(owner);
        }
        FileLockHold hold = owner == null ? new DetachedHold(this, entry, holding)
                : new ThreadHold(this, entry, holding, owner);
        entry.holders.put(owner == null ? hold : owner, holding);
        if (entry.claimLost()) {
            holding.markLost(); // reported before this holding was listed: it would never learn of it
        }
        holding.drain.granted();
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "Lock ''{0}'' acquired {1} by thread {2}", LockNames.abbreviate(name), mode,
                    threadName);
        }
        return hold;
    }

    /** Lists a waiting caller (a thread, or an async acquisition) until {@link LockSpace#doneWaiting}. */
    boolean startWaiting(Object waiter, String name, LockMode mode, String threadName) {
        space.waiting(waiter, new LockWaiter(name, threadName, mode, Instant.now()));
        return true;
    }

    /** Releases one hold of a thread-owned lock; only the owner may. */
    void release(KeyEntry entry, LocalHolding holding, Thread owner) {
        release(entry, holding, owner, Duration.ZERO);
    }

    /** As {@link #release(KeyEntry, LocalHolding, Thread)}; the lock is kept until {@code holdAtLeast} is over. */
    void release(KeyEntry entry, LocalHolding holding, Thread owner, Duration holdAtLeast) {
        if (Thread.currentThread() != owner) {
            throw new IllegalMonitorStateException("Lock '" + LockNames.abbreviate(holding.lockName)
                    + "' is held by thread " + owner.getName() + ", not by " + Thread.currentThread().getName()
                    + ": only the thread that acquired a lock can release it");
        }
        if (!isLive(entry, holding, owner)) {
            // The thread's holds were already released (through the Lock view): a stale hold must not release
            // a newer one, as ReentrantLock.unlock refuses an unlock it does not own.
            throw new IllegalMonitorStateException("Lock '" + LockNames.abbreviate(holding.lockName)
                    + "': this hold is no longer held by thread " + owner.getName() + ", because its holds were"
                    + " already released (for example through obtain(name).unlock()). Release each hold once,"
                    + " through one API.");
        }
        holding.holdAtLeast(holdAtLeast);
        if (holding.decrement() > 0) {
            space.release(entry);
            return;
        }
        leaveOnTime(entry, holding, owner);
    }

    /** Whether {@code holding} is still the owner's current holding of {@code entry}, with holds left. */
    static boolean isLive(KeyEntry entry, LocalHolding holding, Object owner) {
        return holding.count() > 0 && entry.holders.get(owner) == holding;
    }

    /** Releases a detached hold, from any thread, keeping the lock until {@code holdAtLeast} is over. */
    void releaseDetached(KeyEntry entry, LocalHolding holding, Object hold, Duration holdAtLeast) {
        holding.holdAtLeast(holdAtLeast);
        leaveOnTime(entry, holding, hold);
    }

    /**
     * The last hold of {@code holding} is closed: leave now, or, while its minimum hold time is not over, hand
     * the holding to the space's pending releases, which leave at the end of the minimum. The holding is
     * listed under the pending release before it leaves its owner's key, so it is never invisible.
     */
    private void leaveOnTime(KeyEntry entry, LocalHolding holding, Object key) {
        holding.ended();
        long left = holding.minimumLeftNanos();
        if (left > 0 && !holding.drain.draining()) { // shutting down: the minimum is given up (see drain())
            PendingRelease pending = new PendingRelease(entry, holding, () -> leave(entry, holding));
            entry.holders.put(pending, holding);
            entry.holders.remove(key);
            space.releaseLater(pending, left);
            if (holding.drain.draining()) {
                space.releaseNow(pending); // the drain began after our check and may have missed this one
            }
            return;
        }
        entry.holders.remove(key);
        leave(entry, holding);
    }

    private void leave(KeyEntry entry, LocalHolding holding) {
        try {
            if (holding.mode == LockMode.EXCLUSIVE) {
                entry.releaseClaimForNext(); // may keep the kernel lock for the next writer of this JVM
            } else {
                entry.releaseClaim();
            }
            if (LOG.isLoggable(Level.DEBUG)) {
                LOG.log(Level.DEBUG, "Lock ''{0}'' released by thread {1}", LockNames.abbreviate(holding.lockName),
                        Thread.currentThread().getName());
            }
        } finally {
            entry.releaseGate(KeyEntry.permits(holding.mode));
            space.release(entry);
            holding.drain.left();
        }
    }

    /** Which lock names' owner threads are interrupted when their lock is found lost; none by default. */
    public void interruptOnLoss(Predicate<String> names) {
        interruptOnLoss = names;
    }

    /** Whether this registry's fencing tokens must survive a host crash (an fsync each); off by default. */
    public void durableFencingTokens(boolean durable) {
        durableFencingTokens = durable;
    }

    boolean durableFencingTokens() {
        return durableFencingTokens;
    }

    // ---- shutdown ----------------------------------------------------------------------------------------

    /**
     * Starts draining this engine's registry: new requests end at once as timeouts, waiting callers are woken to
     * end so, and locks kept only for their minimum hold time are released now. Holders keep running.
     */
    public void drain() {
        drain.start();
        for (PendingRelease pending : space.pendingReleases()) {
            if (pending.holding.drain == drain) { // only this registry's: another registry may share the space
                space.releaseNow(pending);
            }
        }
    }

    public boolean draining() {
        return drain.draining();
    }

    /** Waits until this engine's holds are all released, up to {@code timeoutNanos}; true when they are. */
    public boolean awaitReleased(long timeoutNanos) throws InterruptedException {
        return drain.awaitIdle(timeoutNanos);
    }

    /** Holdings of this engine not released yet (a thread's nested holds count once). */
    public int activeHoldings() {
        return drain.holdings();
    }

    /** Runs {@code wake} (quick, non-blocking) when draining starts, or at once if it has; see {@link #forgetDrain}. */
    void onDrain(Runnable wake) {
        drain.onDrain(wake);
    }

    void forgetDrain(Runnable wake) {
        drain.forget(wake);
    }

    /**
     * Releases one hold of {@code name} by the current thread (for the {@code Lock} views). {@code taken} is the mode
     * of the view: a thread that holds the lock only SHARED holds no write lock to unlock.
     */
    public void releaseOne(String name, LockMode taken) {
        KeyEntry entry = space.find(name);
        LocalHolding mine = entry == null ? null : entry.holders.get(Thread.currentThread());
        if (mine == null) {
            throw new IllegalMonitorStateException("Lock '" + LockNames.abbreviate(name) + "' is not held by thread "
                    + Thread.currentThread().getName());
        }
        if (taken == LockMode.EXCLUSIVE && mine.mode == LockMode.SHARED) {
            throw new IllegalMonitorStateException("Lock '" + LockNames.abbreviate(name) + "' is held SHARED by thread "
                    + Thread.currentThread().getName() + ": unlock its read lock, it holds no write lock");
        }
        release(entry, mine, Thread.currentThread());
    }

    public int holdCount(String name) {
        KeyEntry entry = space.find(name);
        LocalHolding mine = entry == null ? null : entry.holders.get(Thread.currentThread());
        return mine == null ? 0 : mine.count();
    }

    // ---- diagnostics: never take or drop a lock -------------------------------------------------------

    public LockStatus inspect(String name) {
        return inspector.inspect(name);
    }

    /** Every lock the backend can list, with what is known of its holder. */
    public List<LockStatus> scan() {
        return inspector.scan();
    }

    public List<LocalHold> heldLocks() {
        return inspector.heldLocks();
    }

    public List<LockWaiter> waiters() {
        return space.waiters();
    }

    /** Locks whose last hold is closed but that are kept until their minimum hold time is over. */
    public List<LocalHold> pendingReleases() {
        return inspector.pendingReleases();
    }

    FileLockTimeoutException timeoutException(String name, Duration waited) {
        if (drain.draining()) {
            return new FileLockDrainingException(name, space.fileOf(name), waited); // no holder lookup at shutdown
        }
        return inspector.timeoutException(name, waited);
    }
}
