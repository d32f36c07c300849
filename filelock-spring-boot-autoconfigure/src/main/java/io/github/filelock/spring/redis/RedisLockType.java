package io.github.filelock.spring.redis;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import io.github.filelock.redis.RedisLockBackend;
import io.github.filelock.redis.RedisSettings;
import io.github.filelock.spring.autoconfigure.ExternalLockType;
import io.github.filelock.spring.autoconfigure.InvalidFileLockPropertyException;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;

/**
 * The {@code redis} lock type in Spring. On the application's {@code RedissonClient} bean when there is one (its
 * connections are shared, and it stays the application's); when {@code filelock.redis.lease} differs from that
 * client's watchdog timeout, on a client of the locks' own built from a copy of its config; without a client bean, on
 * one built from {@code spring.data.redis.*}. The backend pings the server at start-up and fails it now, with the
 * address and the fix, when Redis does not answer.
 */
public final class RedisLockType implements ExternalLockType {

    private final FileLockRedisProperties properties;
    private final Environment environment;
    private final ObjectProvider<RedissonClient> clients;
    private volatile @Nullable RedisLockBackend backend;

    public RedisLockType(FileLockRedisProperties properties, Environment environment,
            ObjectProvider<RedissonClient> clients) {
        this.properties = properties;
        this.environment = environment;
        this.clients = clients;
    }

    @Override
    public LockType type() {
        return LockType.REDIS;
    }

    @Override
    public FileLockRegistry createRegistry(String typeProperty, Consumer<FileLockRegistry.Builder> bounds) {
        RedisSettings settings = settings();
        RedissonClient client = applicationClient(typeProperty);
        Duration lease = settings.lease();
        String source = client != null ? "the application's RedissonClient" : "spring.data.redis.*";
        RedisLockBackend opened;
        try {
            if (client != null && (lease == null || lease.toMillis() == client.getConfig().getLockWatchdogTimeout())) {
                opened = RedisLockBackend.open(client, settings);
            } else {
                Config config = client != null ? client.getConfig() : SpringDataRedisConfig.from(environment);
                opened = RedisLockBackend.open(config, settings);
            }
        } catch (InvalidFileLockPropertyException e) {
            throw e; // names its own property
        } catch (IOException | RuntimeException e) {
            throw new InvalidFileLockPropertyException(typeProperty, "redis", "redis locks could not reach Redis"
                    + " through " + source + ": " + e.getMessage(), "Check that Redis runs where "
                    + (client != null ? "the RedissonClient bean's config" : "spring.data.redis.url (or .host and"
                    + " .port)") + " points and accepts this host's connections, or choose another type in "
                    + typeProperty + ".", e);
        }
        backend = opened;
        try {
            FileLockRegistry.Builder builder = FileLockRegistry.builder(opened);
            bounds.accept(builder);
            return builder.build();
        } catch (RuntimeException e) {
            opened.close(); // no registry owns it yet; a client built for it is shut down, the application's is not
            throw e;
        }
    }

    // Several clients and no primary: refuse, rather than fall back to spring.data.redis.* (localhost by default),
    // where the locks would miss every other host's.
    private @Nullable RedissonClient applicationClient(String typeProperty) {
        try {
            return clients.getIfAvailable();
        } catch (NoUniqueBeanDefinitionException e) {
            Collection<String> names = e.getBeanNamesFound();
            throw new InvalidFileLockPropertyException(typeProperty, "redis", "the application has "
                    + e.getNumberOfBeansFound() + " RedissonClient beans" + (names == null ? "" : " " + names)
                    + " and none is primary, so the redis locks cannot tell which server to use", "Mark the"
                    + " RedissonClient whose server the locks should use @Primary.", null);
        }
    }

    private RedisSettings settings() {
        try {
            return RedisSettings.builder().prefix(properties.getPrefix()).lease(properties.getLease()).build();
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            if (message.startsWith("lease")) {
                throw new InvalidFileLockPropertyException("filelock.redis.lease", properties.getLease(), message,
                        "Set filelock.redis.lease between 1s and 1h, or leave it unset for the RedissonClient's"
                                + " watchdog timeout (30s by default).", e);
            }
            throw new InvalidFileLockPropertyException("filelock.redis.prefix", properties.getPrefix(), message,
                    "Set filelock.redis.prefix to a non-empty prefix without braces, such as 'filelock:'.", e);
        }
    }

    /**
     * The backend of the registry built last (closed again if that registry could not be built), or null before one
     * was built (no name uses redis).
     */
    public @Nullable RedisLockBackend backend() {
        return backend;
    }

    @Override
    public String location() {
        RedisLockBackend b = backend;
        return b != null ? b.location() : "redis (not opened)";
    }

    @Override
    public String locationOf(String lockName) {
        RedisLockBackend b = backend;
        return b != null ? b.locationOf(lockName) : "redis lock " + lockName;
    }
}
