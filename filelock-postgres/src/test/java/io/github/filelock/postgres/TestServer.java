package io.github.filelock.postgres;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The PostgreSQL server of this test run: {@code FILELOCK_TEST_POSTGRES_URL} (or {@code -Dfilelock.test.postgres.url})
 * when set, user and password in the URL or in {@code FILELOCK_TEST_POSTGRES_USER} / {@code _PASSWORD}; otherwise a
 * Testcontainers PostgreSQL when a Docker engine is there; otherwise every test that asks is skipped with one line
 * that says how to run them. Keys live in a namespace of this run, so two builds on one machine never meet.
 */
final class TestServer {

    static final String NAMESPACE = "filelock-test-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String HOW = "PostgreSQL backend tests skipped: no server. Set FILELOCK_TEST_POSTGRES_URL="
            + "jdbc:postgresql://127.0.0.1:5432/test?user=postgres (or -Dfilelock.test.postgres.url), "
            + "or start a Docker engine for Testcontainers; .ci/run does the former";

    private static Server server;
    private static boolean told;

    private record Server(String url, String user, String password) {
    }

    private TestServer() {
    }

    /** Settings for the run's server and namespace; skips the calling test when there is no server. */
    static PostgresSettings.Builder settings() {
        Server s = server();
        return PostgresSettings.builder(s.url).username(s.user).password(s.password).namespace(NAMESPACE);
    }

    /** A connection of the test's own, to watch pg_locks and pg_stat_activity or take locks as another session. */
    static Connection connect() throws SQLException {
        Server s = server();
        Properties props = new Properties();
        if (s.user != null) {
            props.setProperty("user", s.user);
        }
        if (s.password != null) {
            props.setProperty("password", s.password);
        }
        props.setProperty("ApplicationName", "filelock-test-observer");
        return DriverManager.getConnection(s.url, props);
    }

    /** The arguments a child JVM passes back to {@link #childSettings}. */
    static List<String> childArgs() {
        Server s = server();
        List<String> args = new ArrayList<>(List.of("url=" + s.url, "namespace=" + NAMESPACE));
        if (s.user != null) {
            args.add("user=" + s.user);
        }
        if (s.password != null) {
            args.add("password=" + s.password);
        }
        return args;
    }

    /** psql's arguments to reach the server: -d with the libpq URI (no password in it). */
    static List<String> psqlTarget() {
        Server s = server();
        URI uri = URI.create(s.url.substring("jdbc:".length()));
        String user = s.user != null ? s.user : queryValue(uri.getRawQuery(), "user");
        String libpq = "postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                + uri.getPath() + (user != null ? "?user=" + user : "");
        return List.of("-d", libpq);
    }

    /** The password for psql's PGPASSWORD, or null. */
    static String password() {
        Server s = server();
        return s.password != null ? s.password
                : queryValue(URI.create(s.url.substring("jdbc:".length())).getRawQuery(), "password");
    }

    private static String queryValue(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return null;
    }

    private static synchronized Server server() {
        if (server == null) {
            server = find();
        }
        if (server.url == null) {
            if (!told) {
                told = true;
                System.out.println(HOW);
            }
            Assumptions.abort(HOW);
        }
        return server;
    }

    private static Server find() {
        String url = System.getProperty("filelock.test.postgres.url", System.getenv("FILELOCK_TEST_POSTGRES_URL"));
        if (url != null && !url.isBlank()) {
            return new Server(url, System.getenv("FILELOCK_TEST_POSTGRES_USER"),
                    System.getenv("FILELOCK_TEST_POSTGRES_PASSWORD"));
        }
        if (dockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
            container.start(); // stopped by Testcontainers' reaper when this JVM exits
            return new Server(container.getJdbcUrl(), container.getUsername(), container.getPassword());
        }
        return new Server(null, null, null);
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
