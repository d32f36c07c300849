package io.github.filelock.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Fencing tokens in table {@code filelock_fence(key bigint primary key, token bigint)}: one row per advisory key, the
 * last token given. One upsert reads, increments and writes it atomically, in its own committed statement, so a
 * token survives the session, the process and, with {@code synchronous_commit} on (the server's default), the
 * server's host. The table is created the first time a token is asked for where it is missing; after that the user
 * needs only INSERT and UPDATE on it. Called under the key's exclusive advisory lock, though the upsert is atomic
 * on its own.
 */
final class FenceCounter {

    static final String TABLE = "filelock_fence";
    static final String CREATE = "CREATE TABLE IF NOT EXISTS " + TABLE
            + " (key bigint PRIMARY KEY, token bigint NOT NULL)";
    private static final String NEXT = "INSERT INTO " + TABLE + " (key, token) VALUES (?, 1)"
            + " ON CONFLICT (key) DO UPDATE SET token = " + TABLE + ".token + 1 RETURNING token";
    private static final String UNDEFINED_TABLE = "42P01";
    private static final String UNIQUE_VIOLATION = "23505"; // two sessions creating the table at once
    private static final String DUPLICATE_TABLE = "42P07";

    private FenceCounter() {
    }

    static long next(Connection connection, AdvisoryKey key) throws SQLException {
        try {
            return upsert(connection, key);
        } catch (SQLException e) {
            if (!UNDEFINED_TABLE.equals(e.getSQLState())) {
                throw e;
            }
        }
        create(connection);
        return upsert(connection, key);
    }

    private static long upsert(Connection connection, AdvisoryKey key) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(NEXT)) {
            st.setLong(1, key.value());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void create(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(CREATE);
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState()) && !DUPLICATE_TABLE.equals(e.getSQLState())) {
                throw new SQLException("cannot create table " + TABLE + " for fencing tokens (" + e.getMessage()
                        + "). Create it once as a user who may: " + CREATE + "; then grant this user SELECT, INSERT"
                        + " and UPDATE on it", e.getSQLState(), e);
            }
        }
    }
}
