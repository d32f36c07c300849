package io.github.filelock.spring.metrics;

import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.actuate.FileLockEndpointAutoConfiguration;
import io.github.filelock.spring.support.MeterAndObservationRegistries;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * NOT a JMH benchmark: a rough, same-JVM comparison of an uncontended {@code @FileLocked} call with metrics,
 * the hold observation and the endpoint's keyed-name bookkeeping on, against the same call with them off.
 * Rounds alternate off/on so JIT and disk noise hit both. Run: java -cp test-classpath ...MetricsOverheadMain
 */
public final class MetricsOverheadMain {

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path dir = Files.createTempDirectory("metrics-overhead");
        ConfigurableApplicationContext off = start(dir, false);
        ConfigurableApplicationContext on = start(dir, true);
        Work offWork = off.getBean(Work.class);
        Work onWork = on.getBean(Work.class);
        for (int round = 0; round < 8; round++) {
            double offNs = measure(offWork, calls);
            double onNs = measure(onWork, calls);
            System.out.printf("round %d: metrics off %.0f ns/call, on %.0f ns/call, ratio %.3f%n", round, offNs, onNs,
                    onNs / offNs);
        }
        on.close();
        off.close();
    }

    private static double measure(Work work, int calls) {
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            work.run(i);
        }
        return (System.nanoTime() - start) / (double) calls;
    }

    private static ConfigurableApplicationContext start(Path dir, boolean observed) {
        return new org.springframework.boot.builder.SpringApplicationBuilder(observed ? Observed.class : Plain.class)
                .web(org.springframework.boot.WebApplicationType.NONE)
                .properties("filelock.dir=" + dir, "management.endpoints.web.exposure.include=locks",
                        "spring.main.banner-mode=off", "logging.level.root=WARN")
                .run();
    }

    @Configuration(proxyBeanMethods = false)
    @org.springframework.context.annotation.Import({ WorkBean.class })
    @org.springframework.boot.autoconfigure.ImportAutoConfiguration({
            org.springframework.boot.autoconfigure.aop.AopAutoConfiguration.class,
            io.github.filelock.spring.autoconfigure.FileLockAutoConfiguration.class })
    static class Plain {
    }

    @Configuration(proxyBeanMethods = false)
    @org.springframework.context.annotation.Import({ WorkBean.class, MeterAndObservationRegistries.class })
    @org.springframework.boot.autoconfigure.ImportAutoConfiguration({
            org.springframework.boot.autoconfigure.aop.AopAutoConfiguration.class,
            io.github.filelock.spring.autoconfigure.FileLockAutoConfiguration.class,
            FileLockMetricsAutoConfiguration.class, FileLockEndpointAutoConfiguration.class })
    static class Observed {
    }

    @Configuration(proxyBeanMethods = false)
    static class WorkBean {
        @Bean
        Work work() {
            return new Work();
        }
    }

    static class Work {
        @FileLocked(name = "bench", key = "#i % 4", timeout = "5s")
        public void run(int i) {
        }
    }
}
