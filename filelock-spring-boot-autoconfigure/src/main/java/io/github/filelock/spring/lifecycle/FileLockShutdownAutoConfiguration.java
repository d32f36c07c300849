package io.github.filelock.spring.lifecycle;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.spring.FileLockRegistries;
import io.github.filelock.spring.autoconfigure.FileLockAutoConfiguration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Graceful shutdown of the locks ({@link FileLockGracefulShutdown}): every {@link FileLockRegistry} bean and every
 * registry behind {@code @FileLocked} is drained when the context closes. {@code filelock.shutdown.drain=false} turns
 * it off (then holders and waiters run on while the context closes, as before).
 */
@AutoConfiguration(after = FileLockAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = { "filelock.enabled", "filelock.shutdown.drain" }, matchIfMissing = true)
@ConditionalOnBean(FileLockRegistries.class)
public final class FileLockShutdownAutoConfiguration {

    /** Spring's own default for {@code spring.lifecycle.timeout-per-shutdown-phase}. */
    static final Duration DEFAULT_PHASE_TIMEOUT = Duration.ofSeconds(30);

    @Bean
    @ConditionalOnMissingBean
    FileLockGracefulShutdown fileLockGracefulShutdown(FileLockRegistries routed,
            ObjectProvider<FileLockRegistry> beans, Environment environment) {
        Set<FileLockRegistry> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        List<FileLockRegistry> all = new ArrayList<>();
        for (FileLockRegistry registry : routed.all()) {
            if (distinct.add(registry)) {
                all.add(registry);
            }
        }
        beans.orderedStream().filter(distinct::add).forEach(all::add);
        Duration timeout = environment.getProperty("spring.lifecycle.timeout-per-shutdown-phase", Duration.class,
                DEFAULT_PHASE_TIMEOUT);
        return new FileLockGracefulShutdown(all, timeout);
    }
}
