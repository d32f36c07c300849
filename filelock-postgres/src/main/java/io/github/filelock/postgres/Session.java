package io.github.filelock.postgres;

import io.github.filelock.LockMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * One server session: a JDBC connection and the backend pid it was opened on. Session advisory locks belong to it,
 * so every statement checks that the pid has not changed: a transaction-mode pooler (PgBouncer) that hands each
 * transaction another server connection would scatter the locks.
 */
final class Session implements AutoCloseable {

    private final Connection connection;
    private final int backendPid;
    private final String where;
    // One statement at a time; the keepalive check skips a session that is busy rather than queue behind a wait.
    private final ReentrantLock busy = new ReentrantLock();
    // Not a monitor: a cancel goes over the network under it, from the thread that abandons, maybe a virtual one.
    private final ReentrantLock cancelGuard = new ReentrantLock();
    private Statement waiting; // guarded by cancelGuard
    private volatile boolean broken;
    private volatile long idleSinceNanos = System.nanoTime();

    private final int timeoutMillis;

    /**
     * Every statement but a wait must answer within {@code timeout}: the driver closes a connection whose read
     * times out, and a lock on a session that cannot answer is as good as lost.
     */
    Session(Connection connection, int backendPid, String where, Duration timeout) throws SQLException {
        this.connection = connection;
        this.backendPid = backendPid;
        this.where = where;
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        connection.setNetworkTimeout(Runnable::run, timeoutMillis);
    }

    int backendPid() {
        return backendPid;
    }

    boolean isBroken() {
        return broken;
    }

    long idleSinceNanos() {
        return idleSinceNanos;
    }

    void markIdle() {
        idleSinceNanos = System.nanoTime();
    }

    boolean tryLock(AdvisoryKey key, LockMode mode) throws SQLException {
        return lockQuery(mode == LockMode.EXCLUSIVE ? "pg_try_advisory_lock" : "pg_try_advisory_lock_shared", key);
    }

    /**
     * Waits in the server's queue for the lock. True when granted; false when {@code abandoned} turned true and the
     * wait was cancelled, after releasing a grant that raced with the cancel, so nothing stays queued or held.
     */
    boolean lock(AdvisoryKey key, LockMode mode, BooleanSupplier abandoned) throws SQLException {
        String function = mode == LockMode.EXCLUSIVE ? "pg_advisory_lock" : "pg_advisory_lock_shared";
        busy.lock();
        try (PreparedStatement st = connection.prepareStatement(
                "SELECT " + function + "(?), pg_backend_pid()")) {
            st.setLong(1, key.value());
            cancelGuard.lock();
            try {
                if (abandoned.getAsBoolean()) {
                    return false;
                }
                waiting = st;
            } finally {
                cancelGuard.unlock();
            }
            try (ResultSet rs = waitFor(st)) {
                rs.next();
                checkPid(rs.getInt(2));
                return true;
            } catch (SQLException e) {
                // Cancelled or not (a deadlock, a broken session), the lock may have been granted just before the
                // error: a cancel that comes after the grant fails the statement but leaves the lock held.
                try {
                    releaseIfHeld(key, mode);
                } catch (SQLException unsure) {
                    e.addSuppressed(unsure); // the session is marked broken: closing it frees the lock
                }
                if (abandoned.getAsBoolean()) {
                    return false;
                }
                throw e;
            }
        } finally {
            busy.unlock();
        }
    }

    // No read timeout while queued: the wait may last; the socket's keepalive notices a server that is gone.
    private ResultSet waitFor(PreparedStatement st) throws SQLException {
        try {
            connection.setNetworkTimeout(Runnable::run, 0);
            return st.executeQuery();
        } finally {
            stopCancels();
            if (!broken) {
                connection.setNetworkTimeout(Runnable::run, timeoutMillis);
            }
        }
    }

    /** Cancels a {@link #lock} wait in progress, if any; a no-op otherwise. */
    void cancelWait() {
        cancelGuard.lock();
        try {
            if (waiting != null) {
                try {
                    waiting.cancel();
                } catch (SQLException e) {
                    // the wait ended on its own, or the session broke: lock() sees either
                }
            }
        } finally {
            cancelGuard.unlock();
        }
    }

    // Once this returns no cancel is in flight, so the next statement cannot be hit by one.
    private void stopCancels() {
        cancelGuard.lock();
        try {
            waiting = null;
        } finally {
            cancelGuard.unlock();
        }
    }

    void unlock(AdvisoryKey key, LockMode mode) throws SQLException {
        String function = mode == LockMode.EXCLUSIVE ? "pg_advisory_unlock" : "pg_advisory_unlock_shared";
        if (!lockQuery(function, key)) {
            throw new SQLException("the server says session " + backendPid + " did not hold " + key + " in mode "
                    + mode + " (" + where + ")", "55000");
        }
    }

    private boolean lockQuery(String function, AdvisoryKey key) throws SQLException {
        busy.lock();
        try (PreparedStatement st = connection.prepareStatement("SELECT " + function + "(?), pg_backend_pid()")) {
            st.setLong(1, key.value());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                checkPid(rs.getInt(2));
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            broken = broken || e.getSQLState() == null || e.getSQLState().startsWith("08");
            throw e;
        } finally {
            busy.unlock();
        }
    }

    private void releaseIfHeld(AdvisoryKey key, LockMode mode) throws SQLException {
        String held = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
                + " AND classid::bigint = ? AND objid::bigint = ? AND objsubid = 1 AND granted AND mode = ?"
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";
        try (PreparedStatement st = connection.prepareStatement(held)) {
            st.setLong(1, key.classid());
            st.setLong(2, key.objid());
            st.setString(3, mode == LockMode.EXCLUSIVE ? "ExclusiveLock" : "ShareLock");
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                for (int n = rs.getInt(1); n > 0; n--) {
                    unlock(key, mode);
                }
            }
        } catch (SQLException e) {
            broken = true; // closing the session is then the only way to be sure the lock is gone
            throw e;
        }
    }

    /**
     * One round trip within the session's timeout; false when it did not finish in time, or failed. A session
     * that fails it is broken: the driver closes a connection whose read timed out.
     */
    boolean check() {
        if (!busy.tryLock()) {
            return true; // a statement is under way; it fails on its own when the session is gone
        }
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            checkPid(rs.getInt(1));
            return true;
        } catch (SQLException | RuntimeException e) {
            broken = true;
            return false;
        } finally {
            busy.unlock();
        }
    }

    private void checkPid(int pid) throws SQLException {
        if (pid != backendPid) {
            broken = true;
            throw new SQLException("the server session changed under one connection (backend pid " + backendPid
                    + ", now " + pid + ") at " + where + ": a pooler in transaction mode (PgBouncer pool_mode="
                    + "transaction) sits between; session advisory locks need a direct connection or session-mode "
                    + "pooling", "55000");
        }
    }

    /** Runs {@code work} on the connection, one statement at a time with the lock statements. */
    <T> T query(SqlWork<T> work) throws SQLException {
        busy.lock();
        try {
            return work.run(connection);
        } catch (SQLException e) {
            broken = broken || e.getSQLState() == null || e.getSQLState().startsWith("08");
            throw e;
        } finally {
            busy.unlock();
        }
    }

    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    void markBroken() {
        broken = true;
    }

    /** Closes the connection; the server then ends the session and drops whatever it still held. */
    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing a broken connection: nothing more to free here
        }
    }

    /** Closes the connection without waiting on a network that may be gone. */
    void abort() {
        broken = true;
        try {
            connection.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            close();
        }
    }
}
