package io.github.filelock.postgres;

import io.github.filelock.LockHolder;
import io.github.filelock.LockMode;
import io.github.filelock.spi.LockSlot;
import java.io.IOException;
import java.sql.SQLException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One key's advisory lock through one pinned session, taken from the backend's pool on the first lock and given
 * back on close. While it holds the lock, a check every keepalive proves the session alive; a failed check declares
 * the hold lost, closes the session (so the server drops the lock once it sees the close) and calls
 * {@code onLoss}.
 *
 * <p>When all {@code maxConnections} sessions are pinned by other slots, {@link #tryLock} fails as a try would
 * (false) and {@link #lock} waits for a session, abandonably.
 */
final class PostgresLockSlot implements LockSlot {

    private static final long RECANCEL_MILLIS = 100;

    private final AdvisoryKey key;
    private final SessionPool pool;
    private final ScheduledExecutorService timer;
    private final LossBounds bounds;
    private final Runnable onLoss;

    private volatile Session session; // pinned from the first lock until close; read by abandon and the check
    private volatile LockMode held; // null when nothing is held
    private final AtomicBoolean lost = new AtomicBoolean();
    private ScheduledFuture<?> checks;

    // An abandon() belongs to the lock() call running, or the next one: lock() counts the calls it finished.
    private volatile boolean abandoned;
    private volatile long finishedWaits;

    PostgresLockSlot(AdvisoryKey key, SessionPool pool, ScheduledExecutorService timer, LossBounds bounds,
            Runnable onLoss) {
        this.key = key;
        this.pool = pool;
        this.timer = timer;
        this.bounds = bounds;
        this.onLoss = onLoss;
    }

    @Override
    public boolean tryLock(LockMode mode) throws IOException {
        Session s = session;
        if (s == null) {
            s = pool.tryTake();
            if (s == null) {
                return false; // every session is pinned: a try does not wait for one
            }
            session = s;
        }
        try {
            boolean granted = s.tryLock(key, mode);
            if (granted) {
                granted(mode);
            } else {
                returnIdleSession();
            }
            return granted;
        } catch (SQLException e) {
            throw failure("try to lock", e);
        }
    }

    @Override
    public boolean lock(LockMode mode) throws IOException {
        try {
            Session s = session;
            if (s == null) {
                s = pool.take(() -> abandoned);
                if (s == null) {
                    return false;
                }
                session = s;
            }
            boolean granted = s.lock(key, mode, () -> abandoned);
            if (granted) {
                granted(mode);
            }
            return granted;
        } catch (SQLException e) {
            throw failure("wait for", e);
        } finally {
            if (!isHeldNow()) {
                abandoned = false; // consumed by this call; one after a grant is cleared by unlock()
            }
            finishedWaits++;
        }
    }

    private boolean isHeldNow() {
        return held != null;
    }

    @Override
    public void abandon() {
        abandoned = true;
        long target = finishedWaits;
        pool.wakeWaiters();
        cancelUntilDone(target);
    }

    // A cancel that reaches the server before the wait's statement is ignored there, so it is repeated until the
    // wait it was meant for has ended.
    private void cancelUntilDone(long target) {
        if (finishedWaits != target || !abandoned) {
            return;
        }
        synchronized (this) { // never a session this slot already gave back to the pool (returnIdleSession)
            Session s = session;
            if (s != null) {
                s.cancelWait();
            }
        }
        try {
            timer.schedule(() -> cancelUntilDone(target), RECANCEL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the backend is closing, and closes the sessions with it
        }
    }

    private void granted(LockMode mode) {
        held = mode;
        lost.set(false);
        long every = bounds.checkEvery().toMillis();
        checks = timer.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
    }

    private void check() {
        Session s = session;
        if (held != null && s != null && !s.check()) {
            declareLost(s);
        }
    }

    private void declareLost(Session s) {
        synchronized (this) {
            if (held == null || session != s || !lost.compareAndSet(false, true)) {
                return; // released meanwhile, or already reported
            }
        }
        s.abort(); // the server drops the lock when it sees the close, or at the latest when its keepalive ends it
        onLoss.run();
    }

    @Override
    public void unlock() throws IOException {
        LockMode mode;
        Session s;
        boolean wasLost;
        synchronized (this) {
            mode = held;
            s = session;
            held = null;
            wasLost = lost.getAndSet(false); // nothing held is valid again
        }
        abandoned = false;
        stopChecks();
        if (mode == null || s == null) {
            return;
        }
        if (wasLost) {
            session = null;
            pool.discard(s); // the lock went with the session; nothing to release
            return;
        }
        try {
            s.unlock(key, mode);
            returnIdleSession();
        } catch (SQLException e) {
            session = null;
            pool.discard(s);
            throw new IOException("Could not release " + key + " (" + mode + ") on " + pool + ": " + e.getMessage()
                    + ". The session is closed, so the server drops the lock when it notices, within "
                    + bounds.serverFreesWithin().toSeconds() + "s at the latest", e);
        }
    }

    private void stopChecks() {
        if (checks != null) {
            checks.cancel(false);
            checks = null;
        }
    }

    /**
     * Nothing to do: the session's {@code application_name} names this process ({@code filelock pid=… host=…}) from
     * the moment it connects, and {@code pg_locks} ties the lock to that session; the thread is not published.
     */
    @Override
    public void describeHolder(LockHolder holder) {
    }

    /**
     * Gives the session back to the pool when this slot holds nothing (after a release or a refused try), so that
     * only held keys pin sessions: the engine keeps idle slots open for reuse, and they must not starve the pool.
     */
    private void returnIdleSession() {
        Session s;
        synchronized (this) {
            s = session;
            if (s == null || held != null) {
                return;
            }
            session = null;
        }
        pool.giveBack(s);
    }

    /** One committed upsert in {@code filelock_fence}, on this slot's own session (see {@link FenceCounter}). */
    @Override
    public long nextFencingToken(boolean durable) throws IOException {
        Session s = session;
        if (s == null || held != LockMode.EXCLUSIVE) {
            throw new IllegalStateException(key + " is not held EXCLUSIVE through this slot: a fencing token is given"
                    + " only under the exclusive lock");
        }
        try {
            return s.query(connection -> FenceCounter.next(connection, key));
        } catch (SQLException e) {
            throw new IOException("Could not give a fencing token for " + key + " on " + pool + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public boolean isValid() {
        return !lost.get();
    }

    @Override
    public void close() {
        stopChecks();
        Session s = session;
        session = null;
        held = null;
        if (s != null) {
            pool.giveBack(s);
        }
    }

    private IOException failure(String action, SQLException e) {
        Session s = session;
        if (s != null && s.isBroken() && held == null) {
            session = null;
            pool.discard(s); // a broken session is never reused; a later lock takes a fresh one
        }
        return new IOException("Could not " + action + " " + key + " on " + pool + ": " + e.getMessage(), e);
    }

    @Override
    public String toString() {
        return "postgres slot of " + key;
    }
}
