package io.github.filelock.postgres;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Opens lock sessions: connects, checks that the server is PostgreSQL and that the session stays one session, and
 * sets the server-side timeouts of {@link LossBounds} so that the server never ends a lock session before its
 * holder has declared the hold lost.
 */
final class Connector {

    private final PostgresSettings settings;
    private final LossBounds bounds;
    private final String applicationName;

    Connector(PostgresSettings settings, LossBounds bounds, String applicationName) {
        this.settings = settings;
        this.bounds = bounds;
        this.applicationName = applicationName;
    }

    Session open() throws IOException {
        Connection connection = connect();
        try {
            int pid = checkServer(connection);
            setTimeouts(connection);
            if (backendPid(connection) != pid) {
                throw new IOException("PostgreSQL at " + settings.safeUrl() + " answered two statements of one "
                        + "connection from two server sessions: a pooler in transaction mode (PgBouncer "
                        + "pool_mode=transaction) sits between, and session advisory locks would be scattered. "
                        + "Point the lock URL at the server itself, or at a pool in session mode");
            }
            return new Session(connection, pid, settings.safeUrl(), bounds.checkTimeout());
        } catch (IOException | RuntimeException e) {
            close(connection);
            throw e;
        } catch (SQLException e) {
            close(connection);
            throw new IOException("Cannot prepare a lock session on " + settings.safeUrl() + ": " + e.getMessage(), e);
        }
    }

    private Connection connect() throws IOException {
        Properties props = new Properties();
        if (settings.username() != null) {
            props.setProperty("user", settings.username());
        }
        if (settings.password() != null) {
            props.setProperty("password", settings.password());
        }
        props.setProperty("ApplicationName", applicationName);
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("socketFactory", KeepaliveSocketFactory.class.getName());
        props.setProperty("socketFactoryArg", Long.toString(bounds.seconds()));
        props.setProperty("connectTimeout", "10");
        props.setProperty("socketTimeout", Long.toString(bounds.checkTimeout().toSeconds()));
        try {
            return DriverManager.getConnection(settings.url(), props);
        } catch (SQLException e) {
            throw new IOException("Cannot connect to PostgreSQL at " + settings.safeUrl() + " for locks: "
                    + e.getMessage() + ". Check that the server runs and accepts connections there, and the "
                    + "user and password of the lock settings", e);
        }
    }

    /** Refuses a server that speaks the protocol but is not PostgreSQL 11 or later; returns the backend pid. */
    private int checkServer(Connection connection) throws IOException, SQLException {
        String version;
        int number;
        int pid;
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery(
                     "SELECT version(), current_setting('server_version_num')::int, pg_backend_pid()")) {
            rs.next();
            version = rs.getString(1);
            number = rs.getInt(2);
            pid = rs.getInt(3);
        } catch (SQLException e) {
            throw new IOException("The server at " + settings.safeUrl() + " is not PostgreSQL (" + e.getMessage()
                    + "): the postgres lock backend needs PostgreSQL 11 or later and its advisory locks", e);
        }
        if (version == null || !version.startsWith("PostgreSQL ") || number < 110000) {
            throw new IOException("The server at " + settings.safeUrl() + " reports '" + version
                    + "': the postgres lock backend needs PostgreSQL 11 or later (advisory locks, sha256())");
        }
        return pid;
    }

    private void setTimeouts(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            // A role's or database's defaults must not end a wait for a lock, or the session holding one.
            st.execute("SET statement_timeout = 0");
            st.execute("SET lock_timeout = 0");
            st.execute("SET idle_in_transaction_session_timeout = 0");
            if (hasSetting(connection, "idle_session_timeout")) {
                st.execute("SET idle_session_timeout = 0");
            }
            st.execute("SET tcp_keepalives_idle = " + bounds.serverKeepaliveIdleSeconds());
            st.execute("SET tcp_keepalives_interval = " + bounds.serverKeepaliveIntervalSeconds());
            st.execute("SET tcp_keepalives_count = " + bounds.serverKeepaliveCount());
            if (hasSetting(connection, "tcp_user_timeout")) {
                st.execute("SET tcp_user_timeout = " + bounds.serverUserTimeoutMillis());
            }
        }
    }

    private static boolean hasSetting(Connection connection, String name) throws SQLException {
        try (var st = connection.prepareStatement("SELECT 1 FROM pg_settings WHERE name = ?")) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static int backendPid(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void close(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // already failing: the first error is the one to report
        }
    }
}
