package io.github.filelock.postgres;

import io.github.filelock.LockHolder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who holds an advisory key, from {@code pg_locks} joined with {@code pg_stat_activity}. A holder that is one of
 * ours is named by its session's {@code application_name} (pid and host of the JVM); any other by its backend pid
 * and client address.
 *
 * <p>{@code since} is the holder session's {@code backend_start}: when the session connected, so the lock is held
 * no longer than that. {@code query_start} and {@code state_change} would be closer for a psql session, but ours
 * move with every keepalive check. Without {@code pg_read_all_stats} (or superuser), sessions of other roles show
 * only their pid and {@code application_name}: then the host is the one in the application_name, or "unknown", and
 * {@code since} is null.
 */
final class HolderQuery {

    private static final String SQL = "SELECT l.pid, a.application_name, host(a.client_addr), a.backend_start"
            + " FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid"
            + " WHERE l.locktype = 'advisory' AND l.classid::bigint = ? AND l.objid::bigint = ? AND l.objsubid = 1"
            + " AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            + " ORDER BY l.pid";

    private final HolderName self;

    HolderQuery(HolderName self) {
        this.self = self;
    }

    /** The holders of {@code key} other than this process's own sessions. */
    List<LockHolder> holdersElsewhere(Connection connection, String lockKey, AdvisoryKey key) throws SQLException {
        List<LockHolder> holders = new ArrayList<>();
        try (PreparedStatement st = connection.prepareStatement(SQL)) {
            st.setLong(1, key.classid());
            st.setLong(2, key.objid());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    int backendPid = rs.getInt(1);
                    String applicationName = rs.getString(2);
                    String clientAddress = rs.getString(3);
                    Timestamp start = rs.getTimestamp(4);
                    HolderName ours = HolderName.parse(applicationName).orElse(null);
                    if (self.applicationName().equals(applicationName)) { // this process, perhaps another backend in it
                        continue;
                    }
                    holders.add(holder(backendPid, applicationName, clientAddress, start, ours, lockKey));
                }
            }
        }
        return holders;
    }

    private static LockHolder holder(int backendPid, String applicationName, String clientAddress,
            Timestamp start, HolderName ours, String lockKey) {
        String session = "postgres backend " + backendPid
                + (clientAddress == null ? "" : " from " + clientAddress)
                + (applicationName == null || applicationName.isEmpty() || ours != null
                        ? "" : " (" + applicationName + ")");
        long pid = ours != null ? ours.pid() : backendPid;
        String host = ours != null ? ours.host() : clientAddress != null ? clientAddress : "unknown";
        return new LockHolder(pid, host, Optional.of(session), Optional.of(lockKey),
                start == null ? null : start.toInstant());
    }
}
