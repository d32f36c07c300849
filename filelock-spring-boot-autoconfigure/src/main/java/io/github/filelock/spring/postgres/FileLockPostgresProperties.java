package io.github.filelock.spring.postgres;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where postgres-typed locks ({@code filelock.type=postgres} or {@code filelock.locks.<name>.type=postgres}) live.
 * The backend keeps its own small pool of lock sessions; it never borrows the application's DataSource.
 */
@ConfigurationProperties(prefix = "filelock.postgres")
public class FileLockPostgresProperties {

    /**
     * JDBC URL of the PostgreSQL database that holds the locks (jdbc:postgresql://host:5432/db); every instance
     * that must exclude the others needs the same database. Default: spring.datasource.url, and then the user and
     * password default to spring.datasource.username and .password. An application that builds its DataSource in
     * code sets this.
     */
    private @Nullable String url;

    /** User of the lock sessions, when not in the URL. Default: spring.datasource.username when the URL is too. */
    private @Nullable String username;

    /** Password of the lock sessions. Default: spring.datasource.password when the URL is spring.datasource.url. */
    private @Nullable String password;

    /**
     * Prefixed to every lock name before it is hashed into an advisory key ("billing/embeddings"), so that two
     * applications on one database keep their locks apart; empty for none. Must not contain '/'.
     */
    private String namespace = "";

    /**
     * The most lock sessions open at once. Every held (or awaited) name pins one session, and one more connection
     * reads pg_locks for holder lookups: count max-connections + 1 per instance into the server's max_connections.
     */
    private int maxConnections = 8;

    /**
     * How often a held lock's session is checked, and how long a check may take. A lost session (server restart,
     * pg_terminate_backend, a network cut) is declared lost within twice this; the server frees the lock no sooner
     * than three times this after the last packet from the holder. Between 1s and 1h, whole seconds.
     */
    private Duration keepalive = Duration.ofSeconds(5);

    public @Nullable String getUrl() {
        return url;
    }

    public void setUrl(@Nullable String url) {
        this.url = url;
    }

    public @Nullable String getUsername() {
        return username;
    }

    public void setUsername(@Nullable String username) {
        this.username = username;
    }

    public @Nullable String getPassword() {
        return password;
    }

    public void setPassword(@Nullable String password) {
        this.password = password;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public int getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    public Duration getKeepalive() {
        return keepalive;
    }

    public void setKeepalive(Duration keepalive) {
        this.keepalive = keepalive;
    }
}
