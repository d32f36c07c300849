package io.github.filelock.spring.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;

import io.github.filelock.spring.support.Runners;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Each hold is one observation (a span named filelock.hold in a trace), stopped with the method's error. */
class FileLockObservationsTests {

    @TempDir
    Path tmp;

    @Test
    void eachHoldIsAnObservationWithTheNameAsLowCardinalityKey() {
        Runners.withLockDir(tmp.resolve("locks"))
                .withConfiguration(AutoConfigurations.of(FileLockMetricsAutoConfiguration.class))
                .withUserConfiguration(FileLockMetricsTests.JobsBean.class, Recording.class).run(context -> {
            FileLockMetricsTests.Jobs jobs = context.getBean(FileLockMetricsTests.Jobs.class);
            Recording recording = context.getBean(Recording.class);
            jobs.run();
            jobs.reindex(42);
            assertThatRuntimeException().isThrownBy(jobs::fail);

            List<Observation.Context> stopped = recording.stopped;
            assertThat(stopped).hasSize(3);
            assertThat(stopped).extracting(Observation.Context::getContextualName).containsOnly("filelock.hold");
            assertThat(stopped).extracting(c -> c.getLowCardinalityKeyValue("filelock.name").getValue())
                    .containsExactly("job", "doc", "job");
            assertThat(stopped.get(1).getHighCardinalityKeyValue("filelock.lock").getValue()).isEqualTo("doc:42");
            assertThat(stopped.get(0).getError()).isNull();
            assertThat(stopped.get(2).getError()).hasMessage("boom");
            assertThat(recording.scopesOpened).isEqualTo(3);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Recording {

        final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
        volatile int scopesOpened;

        @Bean
        ObservationRegistry observationRegistry() {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(new ObservationHandler<>() {
                @Override
                public void onScopeOpened(Observation.Context context) {
                    scopesOpened++;
                }

                @Override
                public void onStop(Observation.Context context) {
                    stopped.add(context);
                }

                @Override
                public boolean supportsContext(Observation.Context context) {
                    return true;
                }
            });
            return registry;
        }
    }
}
