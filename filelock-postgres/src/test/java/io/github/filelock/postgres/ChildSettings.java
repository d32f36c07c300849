package io.github.filelock.postgres;

import io.github.filelock.test.internal.ChildArgs;
import java.io.IOException;
import java.time.Duration;

/**
 * How a child JVM reaches the run's PostgreSQL: the server and namespace of {@link TestServer#childArgs()}, and more.
 */
final class ChildSettings {

    private ChildSettings() {
    }

    /** The parent's side: the run's server, namespace and {@code extra} arguments, as one array. */
    static Object[] args(String... extra) {
        return ChildArgs.join(TestServer.childArgs(), extra);
    }

    /** The child's side: a backend on the server and namespace the parent passed. */
    static PostgresLockBackend backend(ChildArgs args) throws IOException {
        return PostgresLockBackend.open(PostgresSettings.builder(args.get("url"))
                .username(args.find("user")).password(args.find("password"))
                .namespace(args.get("namespace"))
                .maxConnections(args.getInt("maxConnections", PostgresSettings.DEFAULT_MAX_CONNECTIONS))
                .keepalive(Duration.ofSeconds(args.getInt("keepalive", 5)))
                .build());
    }
}
