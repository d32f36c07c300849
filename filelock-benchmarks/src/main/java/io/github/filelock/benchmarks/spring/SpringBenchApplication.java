package io.github.filelock.benchmarks.spring;

import java.nio.file.Path;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/** A minimal Boot application with the filelock auto-configuration, as a user's would be. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class SpringBenchApplication {

    @Bean
    LockedWork lockedWork() {
        return new LockedWork();
    }

    /** {@code extraSources}: more configuration, such as {@link MeteredRegistries} to switch metrics on. */
    static ConfigurableApplicationContext start(Path lockDir, Class<?>... extraSources) {
        return start(lockDir, true, extraSources);
    }

    /** {@code observations}: the value of {@code filelock.observations.enabled}. */
    static ConfigurableApplicationContext start(Path lockDir, boolean observations, Class<?>... extraSources) {
        return new SpringApplicationBuilder(SpringBenchApplication.class).sources(extraSources)
                .web(WebApplicationType.NONE)
                .properties("filelock.dir=" + lockDir, "spring.main.banner-mode=off", "logging.level.root=WARN",
                        "filelock.observations.enabled=" + observations)
                .run();
    }
}
