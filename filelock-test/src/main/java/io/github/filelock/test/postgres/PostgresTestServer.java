package io.github.filelock.test.postgres;

import io.github.filelock.test.internal.ServerLookup;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * The PostgreSQL server of a test run, for tests of the {@code postgres} lock type: {@code FILELOCK_TEST_POSTGRES_URL}
 * (or {@code -Dfilelock.test.postgres.url}) when set, user and password in the URL or in
 * {@code FILELOCK_TEST_POSTGRES_USER} / {@code _PASSWORD}; otherwise a Testcontainers PostgreSQL when
 * {@code org.testcontainers:testcontainers-postgresql} is on the test class path and a Docker engine is there;
 * otherwise every test that asks is skipped with one line that says how to run them.
 *
 * <pre>{@code
 * PostgresTestServer server = PostgresTestServer.get(); // skips the test when there is none
 * registry = FileLockRegistry.builder(PostgresLockBackend.open(PostgresSettings.builder(server.url())
 *         .username(server.user()).password(server.password()).namespace(server.namespace()).build())).build();
 * }</pre>
 *
 * <p>Keys belong in {@link #namespace()}, one per test JVM, so two builds on one machine never meet.
 */
public final class PostgresTestServer {

    /** This test JVM's namespace of lock keys (also {@link #namespace()}). */
    public static final String NAMESPACE = "filelock-test-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String HOW = "PostgreSQL lock tests skipped: no server. Set FILELOCK_TEST_POSTGRES_URL="
            + "jdbc:postgresql://127.0.0.1:5432/test?user=postgres (or -Dfilelock.test.postgres.url), "
            + "or start a Docker engine for Testcontainers; .ci/run does the former";

    private static PostgresTestServer server;

    private final String url;
    private final String user;
    private final String password;

    private PostgresTestServer(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** The run's server; skips the calling test (JUnit assumption) when there is none. */
    public static synchronized PostgresTestServer get() {
        if (server == null) {
            server = find();
        }
        if (server.url == null) {
            ServerLookup.skip(HOW);
        }
        return server;
    }

    /** The JDBC URL, perhaps with {@code user=} in it. */
    public String url() {
        return url;
    }

    /** The user when it is not in the URL, or null. */
    public String user() {
        return user;
    }

    /** The password when it is not in the URL, or null. */
    public String password() {
        return password;
    }

    /** This test JVM's namespace of lock keys. */
    public String namespace() {
        return NAMESPACE;
    }

    /** A connection of the test's own, named {@code applicationName} in pg_stat_activity. */
    public Connection connect(String applicationName) throws SQLException {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("ApplicationName", applicationName);
        return DriverManager.getConnection(url, props);
    }

    /** {@code key=value} arguments that carry the server and namespace to a child JVM. */
    public List<String> childArgs() {
        List<String> args = new ArrayList<>(List.of("url=" + url, "namespace=" + NAMESPACE));
        if (user != null) {
            args.add("user=" + user);
        }
        if (password != null) {
            args.add("password=" + password);
        }
        return args;
    }

    /** psql's arguments to reach the server: -d with the libpq URI (no password in it). */
    public List<String> psqlTarget() {
        URI uri = URI.create(url.substring("jdbc:".length()));
        String name = user != null ? user : queryValue(uri.getRawQuery(), "user");
        String libpq = "postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                + uri.getPath() + (name != null ? "?user=" + name : "");
        return List.of("-d", libpq);
    }

    /** The password for psql's PGPASSWORD, or null. */
    public String psqlPassword() {
        return password != null ? password : queryValue(URI.create(url.substring("jdbc:".length())).getRawQuery(),
                "password");
    }

    /**
     * The SQL expression of the advisory key of lock {@code name} in this run's namespace, as the filelock-postgres
     * module computes it (docs/postgres.md): {@code ('x' || substr(encode(sha256(...)), 1, 16))::bit(64)::bigint}.
     */
    public String keySql(String name) {
        String full = (NAMESPACE + "/" + name).replace("'", "''");
        return "('x' || substr(encode(sha256(convert_to('" + full + "', 'UTF8')), 'hex'), 1, 16))::bit(64)::bigint";
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

    private static PostgresTestServer find() {
        String url = ServerLookup.configured("filelock.test.postgres.url", "FILELOCK_TEST_POSTGRES_URL");
        if (url != null) {
            return new PostgresTestServer(url, System.getenv("FILELOCK_TEST_POSTGRES_USER"),
                    System.getenv("FILELOCK_TEST_POSTGRES_PASSWORD"));
        }
        if (!ServerLookup.canStart("org.testcontainers.postgresql.PostgreSQLContainer")) {
            return new PostgresTestServer(null, null, null);
        }
        return Container.start();
    }

    /** Separate, so that this class loads without Testcontainers on the class path. */
    private static final class Container {

        static PostgresTestServer start() {
            var container = new org.testcontainers.postgresql.PostgreSQLContainer("postgres:16-alpine");
            container.start(); // stopped by Testcontainers' reaper when this JVM exits
            return new PostgresTestServer(container.getJdbcUrl(), container.getUsername(), container.getPassword());
        }
    }

    @Override
    public String toString() {
        return "PostgresTestServer[" + url.replaceAll("(?i)password=[^&]*", "password=***") + "]";
    }
}
