package io.github.filelock.spring.multiprocess;

import io.github.filelock.LockMode;
import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.autoconfigure.FileLockAutoConfiguration;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application run in a child JVM: {@code --filelock.dir=... --work.mode=SHARED|EXCLUSIVE} and any
 * filelock.* setting. It prints READY, and on "go" calls a {@code @FileLocked(name = "index")} method in that mode,
 * which prints INSIDE and stays inside until it reads "leave"; then it prints LEFT and exits.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({AopAutoConfiguration.class, FileLockAutoConfiguration.class})
public class LockedWorkApplication {

    static final BufferedReader STDIN = new BufferedReader(new InputStreamReader(System.in));

    /** The locked work: one method per mode, both on lock "index". */
    public static class IndexWork {

        @FileLocked(name = "index", mode = LockMode.SHARED, timeout = "60s")
        public void read() {
            stayInside();
        }

        @FileLocked(name = "index", mode = LockMode.EXCLUSIVE, timeout = "60s")
        public void write() {
            stayInside();
        }

        private static void stayInside() {
            System.out.println("INSIDE");
            System.out.flush();
            await("leave");
        }
    }

    @Bean
    IndexWork indexWork() {
        return new IndexWork();
    }

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(LockedWorkApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        try (ConfigurableApplicationContext context = application.run(args)) {
            LockMode mode = context.getEnvironment().getRequiredProperty("work.mode", LockMode.class);
            IndexWork work = context.getBean(IndexWork.class);
            System.out.println("READY");
            System.out.flush();
            await("go");
            if (mode == LockMode.SHARED) {
                work.read();
            } else {
                work.write();
            }
            System.out.println("LEFT");
            System.out.flush();
        }
    }

    static void await(String expected) {
        try {
            String line = STDIN.readLine();
            if (!expected.equals(line)) {
                throw new IllegalStateException("expected " + expected + ", got " + line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
