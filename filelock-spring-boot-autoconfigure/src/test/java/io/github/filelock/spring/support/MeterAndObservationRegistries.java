package io.github.filelock.spring.support;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A real SimpleMeterRegistry and an ObservationRegistry with no handlers (the no-op path of apps without tracing). */
@Configuration(proxyBeanMethods = false)
public class MeterAndObservationRegistries {

    @Bean
    SimpleMeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }

    @Bean
    ObservationRegistry observationRegistry() {
        return ObservationRegistry.create();
    }
}
