package io.github.filelock.spring.postgres;

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
 * The {@code fileLockDatabase} health indicator (bean {@code fileLockDatabaseHealthIndicator}) when some name is typed
 * {@code postgres} and Boot's health module is on the class path; {@code management.health.filelock.enabled=false}
 * turns it off with the {@code fileLock} one.
 */
@AutoConfiguration(after = { FileLockAutoConfiguration.class, FileLockPostgresAutoConfiguration.class },
        beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass(name = { "io.github.filelock.postgres.PostgresLockBackend",
        "org.springframework.boot.health.contributor.HealthIndicator",
        "org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator" })
@ConditionalOnBean({ FileLockRegistries.class, PostgresLockType.class })
@ConditionalOnEnabledHealthIndicator("filelock")
@Conditional(OnPostgresLockType.class)
public final class FileLockDatabaseHealthAutoConfiguration {

    /** Depends on the registries, which open the backend at start-up. */
    @Bean
    @ConditionalOnMissingBean(name = "fileLockDatabaseHealthIndicator")
    FileLockDatabaseHealthIndicator fileLockDatabaseHealthIndicator(PostgresLockType type,
            FileLockRegistries registries) {
        return new FileLockDatabaseHealthIndicator(type);
    }
}
