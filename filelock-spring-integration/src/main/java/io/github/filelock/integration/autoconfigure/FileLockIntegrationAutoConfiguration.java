package io.github.filelock.integration.autoconfigure;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.integration.FileLockIntegrationRegistry;
import io.github.filelock.spring.FileLockRegistries;
import io.github.filelock.spring.autoconfigure.FileLockAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * Spring Integration's {@link LockRegistry} on the starter's {@link FileLockRegistry}, when Spring Integration is on
 * the classpath and the application defines no lock registry of its own. After the starter's auto-configuration,
 * whose registry it uses.
 */
@AutoConfiguration(after = FileLockAutoConfiguration.class)
@ConditionalOnClass({ LockRegistry.class, FileLockAutoConfiguration.class })
@ConditionalOnSingleCandidate(FileLockRegistry.class)
public final class FileLockIntegrationAutoConfiguration {

    /** A name with a type of its own is locked in that type's registry, as {@code @FileLocked} locks it. */
    @Bean
    @ConditionalOnMissingBean(LockRegistry.class)
    FileLockIntegrationRegistry fileLockIntegrationRegistry(FileLockRegistry registry,
            ObjectProvider<FileLockRegistries> registries) {
        FileLockRegistries typed = registries.getIfAvailable();
        return typed == null ? new FileLockIntegrationRegistry(registry)
                : new FileLockIntegrationRegistry(registry, typed::registryForLock);
    }
}
