package io.github.filelock.redis;

import io.github.filelock.test.redis.RedisTestServer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.redisson.Redisson;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * This module's view of {@link RedisTestServer} (filelock-test), which finds the run's server (the URL, then
 * Testcontainers, then one skip line): a Redisson config for it, and backends under the run's key prefix.
 */
final class TestServer {

    static final String PREFIX = RedisTestServer.PREFIX;

    private TestServer() {
    }

    /** A config for the run's server; skips the calling test when there is none. */
    static Config config() {
        return config(RedisTestServer.get().url());
    }

    static Config config(String url) {
        Config config = new Config();
        config.useSingleServer().setAddress(url).setConnectionMinimumIdleSize(1).setConnectionPoolSize(8)
                .setSubscriptionConnectionMinimumIdleSize(1).setSubscriptionConnectionPoolSize(4);
        return config;
    }

    /** A backend with a client of its own, under the run's prefix, with {@code lease}. */
    static RedisLockBackend backend(Duration lease) throws IOException {
        return RedisLockBackend.open(config(), RedisSettings.builder().prefix(PREFIX).lease(lease).build());
    }

    /** A client of the test's own, to look at keys and to end leases (DEL, PEXPIRE). */
    static Observer observer() {
        return new Observer(Redisson.create(config()));
    }

    /** The test's own connection to the server, as redis-cli would be. */
    record Observer(RedissonClient client) implements AutoCloseable {

        /** Runs {@code lua} on {@code key} with {@code args} (DEL, PEXPIRE, HGETALL ...). */
        Object eval(String key, String lua, Object... args) {
            return client.getScript(StringCodec.INSTANCE).eval(key, RScript.Mode.READ_WRITE, lua,
                    RScript.ReturnType.VALUE, List.of(key), args);
        }

        boolean exists(String key) {
            return client.getKeys().countExists(key) == 1;
        }

        @Override
        public void close() {
            client.shutdown();
        }
    }

    /** The arguments a child JVM passes back to {@link ChildSettings}. */
    static List<String> childArgs() {
        return RedisTestServer.get().childArgs();
    }
}
