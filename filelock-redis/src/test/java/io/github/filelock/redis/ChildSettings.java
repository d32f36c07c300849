package io.github.filelock.redis;

import io.github.filelock.test.internal.ChildArgs;
import java.io.IOException;
import java.time.Duration;

/** How a child JVM reaches the run's Redis: the server and prefix of {@link TestServer#childArgs()}, and more. */
final class ChildSettings {

    private ChildSettings() {
    }

    /** The parent's side: the run's server, prefix and {@code extra} arguments, as one array. */
    static Object[] args(String... extra) {
        return ChildArgs.join(TestServer.childArgs(), extra);
    }

    /** The child's side: a backend on the server and prefix the parent passed. */
    static RedisLockBackend backend(ChildArgs args) throws IOException {
        return RedisLockBackend.open(TestServer.config(args.get("url")), RedisSettings.builder()
                .prefix(args.get("prefix")).lease(Duration.ofMillis(args.getInt("leaseMillis", 30_000))).build());
    }
}
