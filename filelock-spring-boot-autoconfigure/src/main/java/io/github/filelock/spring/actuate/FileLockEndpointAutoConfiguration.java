package io.github.filelock.spring.actuate;

import io.github.filelock.spring.FileLockRegistries;
import io.github.filelock.spring.autoconfigure.FileLockAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The {@code locks} actuator endpoint, when actuator is on the classpath and the endpoint is available (enabled
 * and exposed: {@code management.endpoints.web.exposure.include=locks}).
 */
@AutoConfiguration(after = FileLockAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnProperty(prefix = "filelock", name = "enabled", matchIfMissing = true)
@ConditionalOnBean(FileLockRegistries.class)
@ConditionalOnAvailableEndpoint(FileLocksEndpoint.class)
public final class FileLockEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    KeyedLockNames fileLockKeyedLockNames() {
        return new KeyedLockNames();
    }

    @Bean
    @ConditionalOnMissingBean
    FileLocksEndpoint fileLocksEndpoint(FileLockRegistries registries, KeyedLockNames names, Environment environment) {
        return new FileLocksEndpoint(registries, names, FileLocksEndpoint.breakGranted(environment));
    }
}
