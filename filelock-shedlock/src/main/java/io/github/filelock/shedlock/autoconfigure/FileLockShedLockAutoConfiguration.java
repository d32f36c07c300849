package io.github.filelock.shedlock.autoconfigure;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.shedlock.FileLockProvider;
import io.github.filelock.spring.FileLockRegistries;
import io.github.filelock.spring.autoconfigure.FileLockAutoConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

/**
 * ShedLock's {@link LockProvider} on the starter's {@link FileLockRegistry}, when ShedLock is on the classpath and
 * the application defines no provider of its own. After the starter's auto-configuration, whose registry it uses.
 */
@AutoConfiguration(after = FileLockAutoConfiguration.class)
@ConditionalOnClass({ LockProvider.class, FileLockAutoConfiguration.class })
@ConditionalOnSingleCandidate(FileLockRegistry.class)
public final class FileLockShedLockAutoConfiguration {

    /**
     * Closed with the context: locks kept only for {@code lockAtLeastFor} are released then. A name with a type of its
     * own is locked in that type's registry, as {@code @FileLocked} locks it.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(LockProvider.class)
    FileLockProvider fileLockProvider(FileLockRegistry registry, ObjectProvider<FileLockRegistries> registries) {
        FileLockRegistries typed = registries.getIfAvailable();
        return typed == null ? new FileLockProvider(registry) : new FileLockProvider(registry, typed::registryForLock);
    }
}
