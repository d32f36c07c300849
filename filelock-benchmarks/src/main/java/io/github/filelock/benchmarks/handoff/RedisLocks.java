package io.github.filelock.benchmarks.handoff;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.redis.RedisLockBackend;
import io.github.filelock.redis.RedisSettings;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.locks.Lock;
import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.integration.redis.util.RedisLockRegistry;

/**
 * The Redis locks of the hand-off: the starter's redis registry, and its baselines: Redisson's own write lock taken
 * directly (its pub/sub wake-up, the floor for a hand-off through Redisson), and Spring Integration's
 * {@code RedisLockRegistry} with its defaults, which spins: it retries its lock script in a loop.
 */
public final class RedisLocks {

    /** Where the benchmark finds the server: the same variable the tests read. */
    static final String URL_VARIABLE = "FILELOCK_TEST_REDIS_URL";

    private RedisLocks() {
    }

    /** The server's URL, from {@value #URL_VARIABLE} (or {@code -Dfilelock.test.redis.url}), or null. */
    public static String urlOrNull() {
        String url = System.getProperty("filelock.test.redis.url", System.getenv(URL_VARIABLE));
        return url == null || url.isBlank() ? null : url.trim();
    }

    static String url() {
        String url = urlOrNull();
        if (url == null) {
            throw new IllegalStateException("The redis hand-off needs a server: set " + URL_VARIABLE
                    + " (e.g. redis://127.0.0.1:6379)");
        }
        return url;
    }

    private static Config config() {
        Config config = new Config();
        config.useSingleServer().setAddress(url()).setConnectionMinimumIdleSize(2)
                .setSubscriptionConnectionMinimumIdleSize(1);
        return config;
    }

    /** The starter's redis type: a {@code FileLockRegistry} on {@code RedisLockBackend}, keys under {@code prefix}. */
    static JavaHandOffPeer.PingPongLock registry(String prefix, String name) {
        FileLockRegistry locks;
        try {
            locks = FileLockRegistry.builder(RedisLockBackend.open(config(),
                    RedisSettings.builder().prefix(prefix).build())).build();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot open the redis lock backend: " + e.getMessage(), e);
        }
        return new JavaHandOffPeer.PingPongLock() {
            private FileLockHold hold;

            @Override
            public void lock() {
                hold = locks.acquire(name, Duration.ofSeconds(60));
            }

            @Override
            public void unlock() {
                hold.close();
            }

            @Override
            public void close() {
                locks.close();
            }
        };
    }

    /** Redisson's write lock of {@code key}, taken and released on the calling thread. */
    static JavaHandOffPeer.PingPongLock bare(String key) {
        // A short watchdog: a missed release message then stalls for at most 5 s rather than 30 s
        RedissonClient client = Redisson.create(config().setLockWatchdogTimeout(5_000));
        RLock lock = client.getReadWriteLock(key).writeLock();
        return new JavaHandOffPeer.PingPongLock() {
            @Override
            public void lock() {
                lock.lock();
            }

            @Override
            public void unlock() {
                lock.unlock();
            }

            @Override
            public void close() {
                client.shutdown();
            }
        };
    }

    /** Spring Integration's {@code RedisLockRegistry} with its defaults, on Lettuce, under registry key {@code key}. */
    static JavaHandOffPeer.PingPongLock redisLockRegistry(String key, String name) {
        URI uri = URI.create(url());
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 6379));
        factory.afterPropertiesSet();
        factory.start();
        RedisLockRegistry registry = new RedisLockRegistry(factory, key);
        Lock lock = registry.obtain(name);
        return new JavaHandOffPeer.PingPongLock() {
            @Override
            public void lock() {
                lock.lock();
            }

            @Override
            public void unlock() {
                lock.unlock();
            }

            @Override
            public void close() {
                registry.destroy();
                factory.destroy();
            }
        };
    }
}
