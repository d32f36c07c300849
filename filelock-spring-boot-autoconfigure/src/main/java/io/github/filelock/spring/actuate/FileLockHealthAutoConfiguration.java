package io.github.filelock.spring.actuate;

import io.github.filelock.spring.FileLockRegistries;
import io.github.filelock.spring.autoconfigure.FileLockAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code fileLock} health indicator (bean {@code fileLockHealthIndicator}), when Boot's health module is on
 * the classpath; {@code management.health.filelock.enabled=false} turns it off.
 */
@AutoConfiguration(after = FileLockAutoConfiguration.class,
        beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnProperty(prefix = "filelock", name = "enabled", matchIfMissing = true)
@ConditionalOnBean(FileLockRegistries.class)
@ConditionalOnEnabledHealthIndicator("filelock")
@EnableConfigurationProperties(FileLockHealthProperties.class)
public final class FileLockHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "fileLockHealthIndicator")
    FileLockHealthIndicator fileLockHealthIndicator(FileLockRegistries registries,
            FileLockHealthProperties properties) {
        return new FileLockHealthIndicator(registries.all(), properties);
    }
}
