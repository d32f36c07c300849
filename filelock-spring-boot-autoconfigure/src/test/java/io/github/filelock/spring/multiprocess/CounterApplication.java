package io.github.filelock.spring.multiprocess;

import io.github.filelock.spring.autoconfigure.FileLockAutoConfiguration;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application run in a child JVM by {@link MultiProcessCounterTests}:
 * {@code --filelock.dir=... --counter.file=... --counter.times=N}. It prints READY, waits for "go" on stdin
 * (so that all children start counting together), increments the counter N times and prints DONE.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({AopAutoConfiguration.class, FileLockAutoConfiguration.class})
public class CounterApplication {

    @Bean
    FileCounter fileCounter(@Value("${counter.file}") Path file) {
        return new FileCounter(file);
    }

    public static void main(String[] args) throws Exception {
        SpringApplication application = new SpringApplication(CounterApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        try (ConfigurableApplicationContext context = application.run(args)) {
            int times = context.getEnvironment().getRequiredProperty("counter.times", Integer.class);
            FileCounter counter = context.getBean(FileCounter.class);
            System.out.println("READY");
            System.out.flush();
            String go = new BufferedReader(new InputStreamReader(System.in)).readLine();
            if (!"go".equals(go)) {
                throw new IllegalStateException("expected go, got " + go);
            }
            for (int i = 0; i < times; i++) {
                counter.increment();
            }
            System.out.println("DONE");
        }
    }
}
