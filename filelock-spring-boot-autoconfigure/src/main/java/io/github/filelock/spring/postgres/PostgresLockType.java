package io.github.filelock.spring.postgres;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import io.github.filelock.postgres.PostgresLockBackend;
import io.github.filelock.postgres.PostgresSettings;
import io.github.filelock.spring.autoconfigure.ExternalLockType;
import io.github.filelock.spring.autoconfigure.InvalidFileLockPropertyException;
import java.io.IOException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;

/**
 * The {@code postgres} lock type in Spring: resolves {@code filelock.postgres.*} (falling back on
 * {@code spring.datasource.*}), opens the backend, which connects once and fails start-up now when the server is
 * missing, unreachable or not PostgreSQL, and builds the registry on it. The registry owns the backend and closes it.
 */
public final class PostgresLockType implements ExternalLockType {

    private static final String URL = "filelock.postgres.url";
    private static final String DATASOURCE_URL = "spring.datasource.url";

    private final FileLockPostgresProperties properties;
    private final Environment environment;
    private volatile @Nullable PostgresLockBackend backend;

    public PostgresLockType(FileLockPostgresProperties properties, Environment environment) {
        this.properties = properties;
        this.environment = environment;
    }

    @Override
    public LockType type() {
        return LockType.POSTGRES;
    }

    @Override
    public FileLockRegistry createRegistry(String typeProperty, Consumer<FileLockRegistry.Builder> bounds) {
        Resolved resolved = resolve(typeProperty);
        PostgresLockBackend opened;
        try {
            opened = PostgresLockBackend.open(resolved.settings);
        } catch (IOException e) {
            throw new InvalidFileLockPropertyException(resolved.urlProperty, resolved.settings.safeUrl(),
                    e.getMessage(), "Check that PostgreSQL 11 or later runs there and accepts connections from this"
                            + " host with the lock settings' user and password (filelock.postgres.url, .username,"
                            + " .password; without filelock.postgres.url they are spring.datasource's), or choose"
                            + " another type in " + typeProperty + ".", e);
        }
        backend = opened;
        FileLockRegistry.Builder builder = FileLockRegistry.builder(opened);
        bounds.accept(builder);
        return builder.build();
    }

    /** The backend of the registry built last, or null before one was built (no name uses postgres). */
    public @Nullable PostgresLockBackend backend() {
        return backend;
    }

    @Override
    public String location() {
        PostgresLockBackend b = backend;
        return b != null ? b.location() : "postgres (not opened)";
    }

    @Override
    public String locationOf(String lockName) {
        PostgresLockBackend b = backend;
        return b != null ? b.locationOf(lockName) : "postgres lock " + lockName;
    }

    private record Resolved(PostgresSettings settings, String urlProperty) {
    }

    private Resolved resolve(String typeProperty) {
        String url = properties.getUrl();
        String username = properties.getUsername();
        String password = properties.getPassword();
        String urlProperty = URL;
        if (url == null || url.isBlank()) {
            url = environment.getProperty(DATASOURCE_URL);
            urlProperty = DATASOURCE_URL;
            if (username == null) {
                username = environment.getProperty("spring.datasource.username");
            }
            if (password == null) {
                password = environment.getProperty("spring.datasource.password");
            }
        }
        if (url == null || url.isBlank()) {
            throw new InvalidFileLockPropertyException(URL, null, typeProperty + "=postgres keeps its locks in a"
                    + " PostgreSQL database, and neither filelock.postgres.url nor spring.datasource.url names one",
                    "Set filelock.postgres.url=jdbc:postgresql://<host>:5432/<database> (with"
                            + " filelock.postgres.username and .password), or spring.datasource.url when the"
                            + " application's own database holds the locks. An application that builds its DataSource"
                            + " in code sets filelock.postgres.url.", null);
        }
        try {
            return new Resolved(PostgresSettings.builder(url).username(username).password(password)
                    .namespace(properties.getNamespace()).maxConnections(properties.getMaxConnections())
                    .keepalive(properties.getKeepalive()).build(), urlProperty);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw invalid(e, url, urlProperty);
        }
    }

    private InvalidFileLockPropertyException invalid(RuntimeException e, String url, String urlProperty) {
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("maxConnections")) {
            return new InvalidFileLockPropertyException("filelock.postgres.max-connections",
                    properties.getMaxConnections(), message, "Set filelock.postgres.max-connections to 1 or more"
                            + " (default 8): each held name pins one session.", e);
        }
        if (message.startsWith("keepalive")) {
            return new InvalidFileLockPropertyException("filelock.postgres.keepalive", properties.getKeepalive(),
                    message, "Set filelock.postgres.keepalive between 1s and 1h (default 5s).", e);
        }
        if (message.startsWith("namespace")) {
            return new InvalidFileLockPropertyException("filelock.postgres.namespace", properties.getNamespace(),
                    message, "Choose a filelock.postgres.namespace without '/', or leave it empty.", e);
        }
        return new InvalidFileLockPropertyException(urlProperty, PostgresSettings.safeUrl(url), message,
                (urlProperty.equals(URL) ? "Set filelock.postgres.url" : "Set filelock.postgres.url (the lock database"
                        + " defaults to spring.datasource.url, which is not PostgreSQL's)")
                        + " to a PostgreSQL JDBC URL: jdbc:postgresql://<host>:5432/<database>.", e);
    }
}
