package io.github.filelock.spring.redis;

import io.github.filelock.spring.FileLockRegistries;
import io.github.filelock.spring.autoconfigure.FileLockAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * The {@code fileLockRedis} health indicator (bean {@code fileLockRedisHealthIndicator}) when some name is typed
 * {@code redis} and Boot's health module is on the class path; {@code management.health.filelock.enabled=false} turns
 * it off with the {@code fileLock} one.
 */
@AutoConfiguration(after = { FileLockAutoConfiguration.class, FileLockRedisAutoConfiguration.class },
        beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass(name = { "io.github.filelock.redis.RedisLockBackend",
        "org.springframework.boot.health.contributor.HealthIndicator",
        "org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator" })
@ConditionalOnBean({ FileLockRegistries.class, RedisLockType.class })
@ConditionalOnEnabledHealthIndicator("filelock")
@Conditional(OnRedisLockType.class)
public final class FileLockRedisHealthAutoConfiguration {

    /** Depends on the registries, which open the backend at start-up. */
    @Bean
    @ConditionalOnMissingBean(name = "fileLockRedisHealthIndicator")
    FileLockRedisHealthIndicator fileLockRedisHealthIndicator(RedisLockType type, FileLockRegistries registries) {
        return new FileLockRedisHealthIndicator(type);
    }
}
