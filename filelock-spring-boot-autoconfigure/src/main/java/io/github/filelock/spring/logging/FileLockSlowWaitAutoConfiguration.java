package io.github.filelock.spring.logging;

import io.github.filelock.spring.FileLockRegistries;
import io.github.filelock.spring.autoconfigure.FileLockAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** The WARN for slow waits ({@code filelock.log.slow-wait}); acquire/release DEBUG lines come from the core. */
@AutoConfiguration(after = FileLockAutoConfiguration.class)
@ConditionalOnProperty(prefix = "filelock", name = "enabled", matchIfMissing = true)
@ConditionalOnBean(FileLockRegistries.class)
@EnableConfigurationProperties(FileLockLogProperties.class)
public final class FileLockSlowWaitAutoConfiguration {

    @Bean(destroyMethod = "close")
    SlowWaitWatchdog fileLockSlowWaitWatchdog(FileLockRegistries registries, FileLockLogProperties properties) {
        return new SlowWaitWatchdog(registries.all(), properties.getSlowWait());
    }
}
