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

    static ConfigurableApplicationContext start(Path lockDir) {
        return new SpringApplicationBuilder(SpringBenchApplication.class)
                .web(WebApplicationType.NONE)
                .properties("filelock.dir=" + lockDir, "spring.main.banner-mode=off", "logging.level.root=WARN")
                .run();
    }
}
