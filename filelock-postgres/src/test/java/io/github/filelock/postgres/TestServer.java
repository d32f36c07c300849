package io.github.filelock.postgres;

import io.github.filelock.test.postgres.PostgresTestServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * This module's view of {@link PostgresTestServer} (filelock-test), which finds the run's server (the URL, then
 * Testcontainers, then one skip line): the backend's settings for it, in the run's namespace.
 */
final class TestServer {

    static final String NAMESPACE = PostgresTestServer.NAMESPACE;

    private TestServer() {
    }

    /** Settings for the run's server and namespace; skips the calling test when there is no server. */
    static PostgresSettings.Builder settings() {
        PostgresTestServer s = PostgresTestServer.get();
        return PostgresSettings.builder(s.url()).username(s.user()).password(s.password()).namespace(NAMESPACE);
    }

    /** A connection of the test's own, to watch pg_locks and pg_stat_activity or take locks as another session. */
    static Connection connect() throws SQLException {
        return PostgresTestServer.get().connect("filelock-test-observer");
    }

    /** The arguments a child JVM passes back to {@link ChildSettings}. */
    static List<String> childArgs() {
        return PostgresTestServer.get().childArgs();
    }
}
