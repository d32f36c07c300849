package io.github.filelock.spring.redis;

import io.github.filelock.redis.RedisLockBackend;
import java.io.IOException;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * {@code fileLockRedis}: the Redis server of redis-typed locks. UP when it answers, DOWN with the error when it does
 * not (then no redis lock can be taken, and held ones lose their leases once Redis has been out of reach for the
 * lease). Details: the server (without credentials), the key prefix and the lease.
 */
public class FileLockRedisHealthIndicator extends AbstractHealthIndicator {

    private final RedisLockType type;

    public FileLockRedisHealthIndicator(RedisLockType type) {
        super("Lock Redis check failed");
        this.type = type;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        RedisLockBackend backend = type.backend();
        if (backend == null) {
            builder.unknown().withDetail("error", "no registry of type redis was built");
            return;
        }
        builder.withDetail("server", backend.location()).withDetail("prefix", backend.settings().prefix())
                .withDetail("lease", backend.lease().toString());
        try {
            backend.ping();
            builder.up();
        } catch (IOException e) {
            builder.down().withDetail("error", e.getMessage());
        }
    }
}
