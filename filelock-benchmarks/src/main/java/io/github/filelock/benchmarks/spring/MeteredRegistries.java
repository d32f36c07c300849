package io.github.filelock.benchmarks.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What an application with Micrometer has: a meter registry and an observation registry. Their presence
 * switches the starter's meters and hold observations on. Without {@link ObservationTimers} the observation
 * registry has no handler, so observations cost next to nothing.
 */
@Configuration(proxyBeanMethods = false)
public class MeteredRegistries {

    @Bean
    SimpleMeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }

    @Bean
    ObservationRegistry observationRegistry(ObjectProvider<DefaultMeterObservationHandler> handlers) {
        ObservationRegistry observations = ObservationRegistry.create();
        handlers.ifAvailable(handler -> observations.observationConfig().observationHandler(handler));
        return observations;
    }

    /** The handler Boot's actuator registers: every observation also becomes a timer. */
    @Configuration(proxyBeanMethods = false)
    public static class ObservationTimers {

        @Bean
        DefaultMeterObservationHandler meterObservationHandler(MeterRegistry meters) {
            return new DefaultMeterObservationHandler(meters);
        }
    }
}
