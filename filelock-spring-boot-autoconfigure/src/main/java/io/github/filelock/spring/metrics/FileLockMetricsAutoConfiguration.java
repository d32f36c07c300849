package io.github.filelock.spring.metrics;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.spring.FileLockRegistries;
import io.github.filelock.spring.autoconfigure.FileLockAutoConfiguration;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.util.function.ToDoubleFunction;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Micrometer meters for {@code @FileLocked} calls, when the application has a {@link MeterRegistry} (Micrometer
 * is an optional dependency). Percentiles and histograms come from Boot's usual
 * {@code management.metrics.distribution.*} properties, keyed by the meter names.
 */
@AutoConfiguration(after = FileLockAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnProperty(prefix = "filelock", name = "enabled", matchIfMissing = true)
@ConditionalOnBean(FileLockRegistry.class)
public final class FileLockMetricsAutoConfiguration {

    /** Enough for any real set of annotation names; see {@link FileLockMetrics}. */
    static final int MAX_NAMES = 500;

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    static final class Meters {

        @Bean
        @ConditionalOnMissingBean
        FileLockMetrics fileLockMetrics(MeterRegistry meterRegistry, FileLockRegistry locks,
                ObjectProvider<FileLockRegistries> registries) {
            // Soft locks can be lost (a lease ran out); flock locks never are. Count over every registry in use:
            // soft-typed names have their own registry beside the main one.
            FileLockRegistries all = registries.getIfAvailable();
            ToDoubleFunction<Object> lost = all != null ? r -> all.lostHolds() : r -> locks.diagnostics().lostHolds();
            FunctionCounter.builder("filelock.lost", all != null ? all : locks, lost)
                    .description("Holds this JVM found lost (soft locks whose lease ran out)").register(meterRegistry);
            return new FileLockMetrics(meterRegistry, MAX_NAMES);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ObservationRegistry.class)
    @ConditionalOnBean(ObservationRegistry.class)
    @ConditionalOnProperty(prefix = "filelock.observations", name = "enabled", matchIfMissing = true)
    static final class Observations {

        @Bean
        @ConditionalOnMissingBean
        FileLockObservations fileLockObservations(ObservationRegistry observationRegistry) {
            return new FileLockObservations(observationRegistry);
        }
    }
}
