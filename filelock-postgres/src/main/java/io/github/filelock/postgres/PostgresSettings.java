package io.github.filelock.postgres;

import java.time.Duration;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Where the PostgreSQL backend connects and how: the JDBC URL and credentials, a namespace that keeps this
 * application's keys apart from others on the same database, the size of the backend's own session pool, and the
 * keepalive that bounds how late a lost session is noticed.
 *
 * <pre>{@code
 * PostgresSettings settings = PostgresSettings.builder("jdbc:postgresql://db:5432/app")
 *         .username("app").password(secret)
 *         .namespace("billing")
 *         .maxConnections(8)
 *         .keepalive(Duration.ofSeconds(5))
 *         .build();
 * }</pre>
 */
public final class PostgresSettings {

    /** Session locks need one session per held key; eight covers a handful of concurrent names. */
    public static final int DEFAULT_MAX_CONNECTIONS = 8;
    public static final Duration DEFAULT_KEEPALIVE = Duration.ofSeconds(5);

    private static final Pattern CREDENTIAL_PARAMETER =
            Pattern.compile("(?i)(user|password)=");

    private final String url;
    private final String username;
    private final String password;
    private final String namespace;
    private final int maxConnections;
    private final Duration keepalive;

    private PostgresSettings(Builder b) {
        this.url = b.url;
        this.username = b.username;
        this.password = b.password;
        this.namespace = b.namespace;
        this.maxConnections = b.maxConnections;
        this.keepalive = b.keepalive;
    }

    /** Settings for the server at {@code url}, a {@code jdbc:postgresql:} URL. */
    public static Builder builder(String url) {
        return new Builder(url);
    }

    public String url() {
        return url;
    }

    /** The user, or null when the URL (or the driver's defaults) names it. */
    public String username() {
        return username;
    }

    /** The password, or null. */
    public String password() {
        return password;
    }

    /** Prefixed to every key before hashing ({@code namespace + "/" + key}); empty for none. */
    public String namespace() {
        return namespace;
    }

    /** The most lock sessions the backend opens at once. */
    public int maxConnections() {
        return maxConnections;
    }

    /** How often a held session is checked, and how long one check may take. */
    public Duration keepalive() {
        return keepalive;
    }

    /** The URL without a user or password in it, for messages and diagnostics. */
    public String safeUrl() {
        return withoutCredentials(url);
    }

    /** {@code url} without a user or password in it, for messages about a URL that may not build into settings. */
    public static String safeUrl(String url) {
        return url == null ? null : withoutCredentials(url);
    }

    static String withoutCredentials(String url) {
        // user:secret@host, which some tools write and the driver does not read, is still a secret
        String base = url.replaceFirst("//[^/@?]*@", "//");
        int q = base.indexOf('?');
        if (q < 0) {
            return base;
        }
        StringJoiner kept = new StringJoiner("&", "?", "").setEmptyValue("");
        for (String parameter : base.substring(q + 1).split("&")) {
            if (!CREDENTIAL_PARAMETER.matcher(parameter).lookingAt() && !parameter.isEmpty()) {
                kept.add(parameter);
            }
        }
        return base.substring(0, q) + kept;
    }

    @Override
    public String toString() {
        return "PostgresSettings[" + safeUrl() + ", namespace '" + namespace + "', maxConnections "
                + maxConnections + ", keepalive " + keepalive + "]";
    }

    /** Builds {@link PostgresSettings}; {@link #build()} checks every value and names the fix. */
    public static final class Builder {

        private final String url;
        private String username;
        private String password;
        private String namespace = "";
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private Duration keepalive = DEFAULT_KEEPALIVE;

        private Builder(String url) {
            this.url = url;
        }

        public Builder username(String username) {
            this.username = username;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public Builder namespace(String namespace) {
            this.namespace = Objects.requireNonNull(namespace, "namespace: use \"\" for none");
            return this;
        }

        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        public Builder keepalive(Duration keepalive) {
            this.keepalive = keepalive;
            return this;
        }

        public PostgresSettings build() {
            if (url == null || !url.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("PostgreSQL lock URL '"
                        + (url == null ? null : withoutCredentials(url))
                        + "' is not a PostgreSQL JDBC URL: write it as jdbc:postgresql://host:5432/database");
            }
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections is " + maxConnections
                        + ": the PostgreSQL backend needs at least one session; set it to 1 or more (default "
                        + DEFAULT_MAX_CONNECTIONS + ")");
            }
            if (keepalive == null || keepalive.compareTo(Duration.ofSeconds(1)) < 0
                    || keepalive.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("keepalive is " + keepalive
                        + ": set it between 1s and 1h (default " + DEFAULT_KEEPALIVE.toSeconds()
                        + "s); the server's TCP keepalive is derived from it in whole seconds");
            }
            if (namespace.contains("/")) {
                throw new IllegalArgumentException("namespace '" + namespace + "' contains '/', which separates "
                        + "the namespace from the key in the hashed name: choose a namespace without '/'");
            }
            return new PostgresSettings(this);
        }
    }
}
