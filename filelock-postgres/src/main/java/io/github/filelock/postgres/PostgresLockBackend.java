package io.github.filelock.postgres;

import io.github.filelock.LockHolder;
import io.github.filelock.internal.ProcessIdentity;
import io.github.filelock.spi.LockBackend;
import io.github.filelock.spi.LockSlot;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Locks on PostgreSQL session advisory locks: EXCLUSIVE is {@code pg_advisory_lock(key)}, SHARED
 * {@code pg_advisory_lock_shared(key)}, a single attempt their {@code pg_try_} forms. The key is fixed so that other
 * tools take the same lock: see {@link AdvisoryKey} and docs/postgres.md.
 *
 * <p><b>Sessions.</b> Each slot pins one session from this backend's own pool of at most
 * {@link PostgresSettings#maxConnections()} connections (never the application's pool), from its first lock until it
 * is closed. One more connection, opened on first use, reads {@code pg_locks} for {@link #holdersElsewhere} and
 * {@link #isHeldElsewhere}: the budget is {@code maxConnections + 1}. Sessions are named
 * {@code filelock pid=<pid> host=<host>} ({@code application_name}), which is how other processes see the holder.
 *
 * <p><b>Loss.</b> A lock lives as long as its session. With keepalive {@code k} (whole seconds), the holder checks
 * each held session every {@code k}, a check may take {@code k}, and a failed check declares the hold lost
 * ({@code onLoss}, {@link LockSlot#isValid()} false) and closes the session: the holder knows within {@code 2k} of
 * the last packet the server got from it. The server's TCP keepalive is set to start after {@code 3k} of silence,
 * probe every {@code k} three times ({@code tcp_user_timeout} {@code 6k}), so it ends the session and grants the lock
 * elsewhere no sooner than {@code 3k} after that packet: the holder always gives up first, by at least {@code k}.
 *
 * <p><b>Poolers.</b> A pooler in transaction mode (PgBouncer {@code pool_mode=transaction}) gives each transaction
 * any server session, which scatters session locks; the backend checks the server pid on every statement and
 * refuses with an error that says so.
 */
public final class PostgresLockBackend implements LockBackend {

    public static final String TYPE = "postgres";

    private final PostgresSettings settings;
    private final LossBounds bounds;
    private final SessionPool pool;
    private final Connector inspectConnector;
    private final HolderQuery holderQuery;
    private final ScheduledThreadPoolExecutor timer;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private Session inspector; // guarded by inspecting
    // Not a monitor: pg_locks is read over the network under it, by callers that may be virtual threads.
    private final ReentrantLock inspecting = new ReentrantLock();

    private PostgresLockBackend(PostgresSettings settings) {
        this.settings = settings;
        this.bounds = LossBounds.of(settings.keepalive());
        HolderName self = new HolderName(ProcessIdentity.PID, ProcessIdentity.HOST);
        this.pool = new SessionPool(new Connector(settings, bounds, self.applicationName()),
                settings.maxConnections(), bounds.checkEvery(), settings.safeUrl());
        this.inspectConnector = new Connector(settings, bounds, "filelock-inspect pid=" + self.pid());
        this.holderQuery = new HolderQuery(self);
        // One thread per session at most, so that checks of held sessions never queue behind a slow one.
        AtomicInteger n = new AtomicInteger();
        this.timer = new ScheduledThreadPoolExecutor(settings.maxConnections(), r -> {
            Thread t = new Thread(r, "filelock-postgres-check-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.timer.setRemoveOnCancelPolicy(true);
    }

    /**
     * A backend for {@code settings}. It connects once to check the server (PostgreSQL 11 or later, no pooler in
     * transaction mode) and fails now, with the URL and the fix, rather than at the first lock.
     */
    public static PostgresLockBackend open(PostgresSettings settings) throws IOException {
        PostgresLockBackend backend = new PostgresLockBackend(settings);
        try {
            backend.inspector();
            return backend;
        } catch (IOException | RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String location() {
        return settings.safeUrl();
    }

    @Override
    public String locationOf(String key) {
        return key(key) + " at " + settings.safeUrl();
    }

    /** The advisory key of {@code key} in this backend's namespace, as pg_advisory_lock takes it. */
    public long advisoryKey(String key) {
        return key(key).value();
    }

    /**
     * The advisory key of {@code key} in {@code namespace} ({@code ""} for none), without a backend: what psql's and
     * Python's forms of the key compute (see the README).
     */
    public static long advisoryKey(String namespace, String key) {
        return AdvisoryKey.of(namespace, key).value();
    }

    private AdvisoryKey key(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a lock key is empty: name the lock");
        }
        return AdvisoryKey.of(settings.namespace(), key);
    }

    @Override
    public LockSlot openSlot(String key, Runnable onLoss) {
        AdvisoryKey advisory = key(key);
        seen.add(key);
        return new PostgresLockSlot(advisory, pool, timer, bounds, onLoss);
    }

    /** Kept in table {@code filelock_fence}, created when first needed (see {@code FenceCounter}). */
    @Override
    public boolean supportsFencingTokens() {
        return true;
    }

    /** True: each slot has its own session, and sessions lock independently even within one process. */
    @Override
    public boolean independentSlots() {
        return true;
    }

    /** See {@link HolderQuery} for what is visible without {@code pg_read_all_stats}. */
    @Override
    public List<LockHolder> holdersElsewhere(String key) throws IOException {
        AdvisoryKey advisory = key(key);
        return inspect(s -> s.query(c -> holderQuery.holdersElsewhere(c, key, advisory)));
    }

    @Override
    public boolean isHeldElsewhere(String key) throws IOException {
        return !holdersElsewhere(key).isEmpty();
    }

    /** Keys are hashed on the server, so these are the keys this backend opened slots for. */
    @Override
    public List<String> knownKeys() {
        return new ArrayList<>(seen);
    }

    /** Sessions of the lock pool open now (pinned and idle), for diagnostics and tests. */
    public int openSessions() {
        return pool.openSessions();
    }

    /**
     * Lock sessions pinned now by slots that hold or wait for a lock, out of {@link PostgresSettings#maxConnections()}.
     */
    public int sessionsInUse() {
        return pool.sessionsInUse();
    }

    /** The settings this backend was opened with. */
    public PostgresSettings settings() {
        return settings;
    }

    /**
     * Asks the server for an answer ({@code SELECT 1}) on the holder-lookup session, reconnecting it if it had gone,
     * for health checks.
     *
     * @throws IOException naming the URL when the server does not answer
     */
    public void ping() throws IOException {
        inspect(s -> s.query(c -> {
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("SELECT 1");
            }
            return null;
        }));
    }

    private interface Inspection<T> {
        T run(Session session) throws SQLException;
    }

    private <T> T inspect(Inspection<T> work) throws IOException {
        inspecting.lock();
        try {
            return inspectLocked(work);
        } finally {
            inspecting.unlock();
        }
    }

    private <T> T inspectLocked(Inspection<T> work) throws IOException {
        try {
            return work.run(inspector());
        } catch (SQLException first) {
            if (!inspector.isBroken()) {
                throw new IOException("Could not read pg_locks at " + settings.safeUrl() + ": " + first.getMessage(),
                        first);
            }
            try {
                return work.run(inspector()); // the session had gone (a server restart): once more on a new one
            } catch (SQLException e) {
                throw new IOException("Could not read pg_locks at " + settings.safeUrl() + ": " + e.getMessage(), e);
            }
        }
    }

    private Session inspector() throws IOException {
        inspecting.lock();
        try {
            if (inspector == null || inspector.isBroken()) {
                if (inspector != null) {
                    inspector.abort();
                }
                inspector = inspectConnector.open();
            }
            return inspector;
        } finally {
            inspecting.unlock();
        }
    }

    @Override
    public void close() {
        inspecting.lock();
        try {
            timer.shutdownNow();
            pool.close();
            if (inspector != null) {
                inspector.close();
                inspector = null;
            }
        } finally {
            inspecting.unlock();
        }
    }

    @Override
    public String toString() {
        return "PostgresLockBackend[" + settings + "]";
    }
}
