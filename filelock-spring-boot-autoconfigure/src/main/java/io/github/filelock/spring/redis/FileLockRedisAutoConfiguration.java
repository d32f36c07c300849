package io.github.filelock.spring.redis;

import io.github.filelock.spring.autoconfigure.FileLockAutoConfiguration;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The {@code redis} lock type, when filelock-redis and Redisson are on the class path: names typed {@code redis}
 * ({@code filelock.type} or {@code filelock.locks.<name>.type}) lock through Redisson read/write locks. Nothing
 * connects unless some name uses the type.
 */
@AutoConfiguration(before = FileLockAutoConfiguration.class)
@ConditionalOnClass(name = { "io.github.filelock.redis.RedisLockBackend", "org.redisson.api.RedissonClient" })
@ConditionalOnProperty(prefix = "filelock", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(FileLockRedisProperties.class)
public final class FileLockRedisAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RedisLockType fileLockRedisType(FileLockRedisProperties properties, Environment environment,
            ObjectProvider<RedissonClient> clients) {
        return new RedisLockType(properties, environment, clients);
    }
}
