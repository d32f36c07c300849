package io.github.filelock.spring.postgres;

import io.github.filelock.postgres.PostgresLockBackend;
import io.github.filelock.postgres.PostgresSettings;
import java.io.IOException;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * {@code fileLockDatabase}: the database of postgres-typed locks. UP when the server answers on the backend's
 * holder-lookup session, DOWN with the error when it does not (then no postgres lock can be taken, and held ones
 * are being checked for loss). Details: the URL (without credentials), the namespace, the lock sessions in use
 * against {@code filelock.postgres.max-connections}, the connection budget ({@code max-connections + 1}) and the
 * keepalive. All sessions in use keeps it UP: new names then wait for a session, which is back pressure, not a fault.
 */
public class FileLockDatabaseHealthIndicator extends AbstractHealthIndicator {

    private final PostgresLockType type;

    public FileLockDatabaseHealthIndicator(PostgresLockType type) {
        super("Lock database check failed");
        this.type = type;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        PostgresLockBackend backend = type.backend();
        if (backend == null) {
            builder.unknown().withDetail("error", "no registry of type postgres was built");
            return;
        }
        PostgresSettings settings = backend.settings();
        builder.withDetail("url", settings.safeUrl()).withDetail("namespace", settings.namespace())
                .withDetail("sessionsInUse", backend.sessionsInUse())
                .withDetail("maxConnections", settings.maxConnections())
                .withDetail("connectionBudget", settings.maxConnections() + 1)
                .withDetail("keepalive", settings.keepalive().toString());
        try {
            backend.ping();
            builder.up();
        } catch (IOException e) {
            builder.down().withDetail("error", e.getMessage());
        }
    }
}
