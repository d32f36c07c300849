package io.github.filelock.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.spring.logging.FileLockSlowWaitAutoConfiguration;
import io.github.filelock.spring.logging.SlowWaitWatchdog;
import io.github.filelock.spring.metrics.FileLockMetrics;
import io.github.filelock.spring.metrics.FileLockMetricsAutoConfiguration;
import io.github.filelock.spring.metrics.FileLockObservations;
import io.github.filelock.spring.support.MeterAndObservationRegistries;
import io.github.filelock.spring.support.Runners;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Metrics, endpoint and health switch on only with their libraries, beans and settings present. */
class ObservabilityBackOffTests {

    @TempDir
    Path tmp;

    private ApplicationContextRunner runner() {
        return Runners.withLockDir(tmp.resolve("locks"))
                .withConfiguration(AutoConfigurations.of(FileLockMetricsAutoConfiguration.class,
                        FileLockEndpointAutoConfiguration.class, FileLockHealthAutoConfiguration.class,
                        FileLockSlowWaitAutoConfiguration.class))
                .withPropertyValues("management.endpoints.web.exposure.include=locks")
                .withUserConfiguration(MeterAndObservationRegistries.class);
    }

    @Test
    void everythingIsThereWithItsLibrariesAndBeans() {
        runner().run(context -> assertThat(context).hasSingleBean(FileLockMetrics.class)
                .hasSingleBean(FileLockObservations.class).hasSingleBean(FileLocksEndpoint.class)
                .hasSingleBean(FileLockHealthIndicator.class).hasSingleBean(SlowWaitWatchdog.class));
    }

    @Test
    void noMicrometerOnTheClasspathNoMetrics() {
        runner().withClassLoader(new FilteredClassLoader(MeterRegistry.class, SimpleMeterRegistry.class))
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(FileLockMetrics.class).hasSingleBean(FileLocksEndpoint.class));
    }

    @Test
    void noMeterRegistryBeanNoMetrics() {
        Runners.withLockDir(tmp.resolve("locks"))
                .withConfiguration(AutoConfigurations.of(FileLockMetricsAutoConfiguration.class))
                .run(context -> assertThat(context).doesNotHaveBean(FileLockMetrics.class)
                        .doesNotHaveBean(FileLockObservations.class));
    }

    @Test
    void noActuatorOnTheClasspathNoEndpointAndNoHealth() {
        runner().withClassLoader(new FilteredClassLoader(Endpoint.class, HealthIndicator.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FileLocksEndpoint.class)
                        .doesNotHaveBean(FileLockHealthIndicator.class).hasSingleBean(FileLockMetrics.class));
    }

    @Test
    void holdObservationsCanBeTurnedOffWhileMetersStay() {
        runner().withPropertyValues("filelock.observations.enabled=false")
                .run(context -> assertThat(context).hasSingleBean(FileLockMetrics.class)
                        .doesNotHaveBean(FileLockObservations.class));
    }

    @Test
    void endpointNotExposedNotCreated() {
        runner().withPropertyValues("management.endpoints.web.exposure.include=health")
                .run(context -> assertThat(context).doesNotHaveBean(FileLocksEndpoint.class));
    }

    @Test
    void healthIndicatorCanBeTurnedOff() {
        runner().withPropertyValues("management.health.filelock.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(FileLockHealthIndicator.class));
    }

    @Test
    void filelockDisabledNothing() {
        runner().withPropertyValues("filelock.enabled=false").run(context -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(FileLockMetrics.class).doesNotHaveBean(FileLockObservations.class)
                .doesNotHaveBean(FileLocksEndpoint.class).doesNotHaveBean(FileLockHealthIndicator.class)
                .doesNotHaveBean(SlowWaitWatchdog.class));
    }

}
