package io.github.filelock.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What the server says, through a session of the test's own: pg_locks and pg_stat_activity. */
final class ServerView implements AutoCloseable {

    private final Connection connection;

    ServerView() throws SQLException {
        this.connection = TestServer.connect();
    }

    /** Backend pids granted {@code key}, in either mode. */
    List<Integer> granted(AdvisoryKey key) throws SQLException {
        return pids(key, true);
    }

    /** Backend pids queued for {@code key}. */
    List<Integer> waiting(AdvisoryKey key) throws SQLException {
        return pids(key, false);
    }

    private List<Integer> pids(AdvisoryKey key, boolean granted) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT pid FROM pg_locks WHERE locktype = 'advisory'"
                + " AND classid::bigint = ? AND objid::bigint = ? AND objsubid = 1 AND granted = ? ORDER BY pid")) {
            st.setLong(1, key.classid());
            st.setLong(2, key.objid());
            st.setBoolean(3, granted);
            List<Integer> pids = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    pids.add(rs.getInt(1));
                }
            }
            return pids;
        }
    }

    /** Sessions whose application_name is {@code name}. */
    int sessionsNamed(String name) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The backend pids of sessions whose application_name starts with {@code prefix}. */
    List<Integer> backendsNamed(String prefix) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(
                "SELECT pid FROM pg_stat_activity WHERE application_name LIKE ? || '%' ORDER BY pid")) {
            st.setString(1, prefix);
            List<Integer> pids = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    pids.add(rs.getInt(1));
                }
            }
            return pids;
        }
    }

    void terminate(int backendPid) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT pg_terminate_backend(?)")) {
            st.setInt(1, backendPid);
            st.execute();
        }
    }

    /** Polls {@code condition} every 20 ms; fails with {@code what} when it is still false after {@code timeout}. */
    static void await(String what, Duration timeout, Check condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(20);
        }
    }

    interface Check {
        boolean holds() throws Exception;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
