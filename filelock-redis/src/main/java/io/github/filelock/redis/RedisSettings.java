package io.github.filelock.redis;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How the Redis backend names its keys and how long its leases last.
 *
 * <pre>{@code
 * RedisSettings settings = RedisSettings.builder()
 *         .prefix("billing:")              // keys billing:<name>, default filelock:
 *         .lease(Duration.ofSeconds(10))   // Redisson's lock watchdog timeout, default 30s
 *         .build();
 * }</pre>
 */
public final class RedisSettings {

    public static final String DEFAULT_PREFIX = "filelock:";
    /** Redisson's own default watchdog timeout. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

    private final String prefix;
    private final @Nullable Duration lease;

    private RedisSettings(Builder b) {
        this.prefix = b.prefix;
        this.lease = b.lease;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Put before every lock name to make its Redis key ({@code filelock:<name>}). */
    public String prefix() {
        return prefix;
    }

    /**
     * The lease (Redisson's {@code lockWatchdogTimeout}) when set; null to keep the client's. A backend that builds
     * its own client sets it there; one given a client uses the client's and refuses a different value.
     */
    public @Nullable Duration lease() {
        return lease;
    }

    @Override
    public String toString() {
        return "RedisSettings[prefix '" + prefix + "', lease " + (lease == null ? "the client's" : lease) + "]";
    }

    /** Builds {@link RedisSettings}; {@link #build()} checks every value and names the fix. */
    public static final class Builder {

        private String prefix = DEFAULT_PREFIX;
        private @Nullable Duration lease;

        private Builder() {
        }

        public Builder prefix(String prefix) {
            this.prefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        public Builder lease(@Nullable Duration lease) {
            this.lease = lease;
            return this;
        }

        public RedisSettings build() {
            if (prefix.isEmpty() || prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
                throw new IllegalArgumentException("prefix '" + prefix + "' is empty or contains a brace: choose a"
                        + " prefix such as '" + DEFAULT_PREFIX + "' (braces are Redis Cluster hash tags, and the"
                        + " backend puts each lock name's keys under one tag of its own)");
            }
            if (lease != null && (lease.compareTo(Duration.ofSeconds(1)) < 0
                    || lease.compareTo(Duration.ofHours(1)) > 0)) {
                throw new IllegalArgumentException("lease is " + lease + ": set it between 1s and 1h (default "
                        + DEFAULT_LEASE.toSeconds() + "s); a holder frozen or cut off longer than the lease loses"
                        + " its lock");
            }
            return new RedisSettings(this);
        }
    }
}
