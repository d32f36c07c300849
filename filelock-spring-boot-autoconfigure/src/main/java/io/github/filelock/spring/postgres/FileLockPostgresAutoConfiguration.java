package io.github.filelock.spring.postgres;

import io.github.filelock.spring.autoconfigure.FileLockAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The {@code postgres} lock type, when filelock-postgres and the PostgreSQL driver are on the class path: names
 * typed {@code postgres} ({@code filelock.type} or {@code filelock.locks.<name>.type}) lock through PostgreSQL
 * session advisory locks on {@code filelock.postgres.url} (default {@code spring.datasource.url}). Nothing connects
 * unless some name uses the type. After Boot's DataSource auto-configuration, whose {@code spring.datasource.*}
 * it falls back on; the lock sessions are the backend's own pool, never the application's DataSource.
 */
@AutoConfiguration(before = FileLockAutoConfiguration.class,
        afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass(name = { "io.github.filelock.postgres.PostgresLockBackend", "org.postgresql.Driver" })
@ConditionalOnProperty(prefix = "filelock", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(FileLockPostgresProperties.class)
public final class FileLockPostgresAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    PostgresLockType fileLockPostgresType(FileLockPostgresProperties properties, Environment environment) {
        return new PostgresLockType(properties, environment);
    }
}
