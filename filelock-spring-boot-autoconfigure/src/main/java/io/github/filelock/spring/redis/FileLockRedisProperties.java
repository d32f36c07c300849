package io.github.filelock.spring.redis;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where redis-typed locks ({@code filelock.type=redis} or {@code filelock.locks.<name>.type=redis}) live: on the
 * application's {@code RedissonClient} bean when there is one, else on a client built from {@code spring.data.redis.*}.
 */
@ConfigurationProperties(prefix = "filelock.redis")
public class FileLockRedisProperties {

    /**
     * Put before every lock name to make its Redis key ("filelock:embeddings"), so that two applications on one
     * server keep their locks apart. Must not be empty or contain braces.
     */
    private String prefix = "filelock:";

    /**
     * The lease: Redisson's lock watchdog timeout. A holder renews it every third of this while its JVM runs; frozen
     * or cut off from Redis for longer, it loses the lock while it still runs, and a crashed holder's lock is free
     * after at most this. Between 1s and 1h. Default: the RedissonClient's (30s unless configured). Set on an
     * application client with another timeout, the locks get a client of their own with this one.
     */
    private @Nullable Duration lease;

    public String getPrefix() {
        return prefix;
    }

    public void setPrefix(String prefix) {
        this.prefix = prefix;
    }

    public @Nullable Duration getLease() {
        return lease;
    }

    public void setLease(@Nullable Duration lease) {
        this.lease = lease;
    }
}
