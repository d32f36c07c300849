package io.github.filelock.spring.multiprocess;

import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.OnTimeout;
import io.github.filelock.spring.autoconfigure.FileLockAutoConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.Trigger;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * One instance of a scheduled job, in a child JVM: {@code --ticks.record=<file> --ticks.offset-ms=<n>
 * --ticks.period-ms=<n> --ticks.count=<n>} and any filelock.* setting. It prints READY; on "go <epoch ms>" its
 * scheduler fires the {@code @FileLocked(timeout = "0", onTimeout = SKIP)} job at start + offset + k * period for
 * k = 1..count, as a fixed-rate {@code @Scheduled} would, and each run appends "k pid" to the record file under
 * the lock. It prints DONE after the last trigger, and lives until its stdin closes.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({AopAutoConfiguration.class, FileLockAutoConfiguration.class})
public class ScheduledTicksApplication {

    /** The job: 10 ms of work, recorded while the lock is held. */
    public static class Job {

        private final Path record;

        Job(Path record) {
            this.record = record;
        }

        @FileLocked(name = "tick", timeout = "0", onTimeout = OnTimeout.SKIP)
        public void run(int tick) throws Exception {
            Files.writeString(record, tick + " " + ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
            Thread.sleep(10);
        }
    }

    @Bean
    Job job(org.springframework.core.env.Environment environment) {
        return new Job(Path.of(environment.getRequiredProperty("ticks.record")));
    }

    public static void main(String[] args) throws Exception {
        SpringApplication application = new SpringApplication(ScheduledTicksApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        try (ConfigurableApplicationContext context = application.run(args)) {
            long offset = context.getEnvironment().getRequiredProperty("ticks.offset-ms", Long.class);
            long period = context.getEnvironment().getRequiredProperty("ticks.period-ms", Long.class);
            int count = context.getEnvironment().getRequiredProperty("ticks.count", Integer.class);
            Job job = context.getBean(Job.class);
            ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
            scheduler.setThreadNamePrefix("scheduling-");
            scheduler.initialize();
            System.out.println("READY");
            System.out.flush();
            String go = LockedWorkApplication.STDIN.readLine();
            if (go == null || !go.startsWith("go ")) {
                throw new IllegalStateException("expected go <epoch ms>, got " + go);
            }
            long start = Long.parseLong(go.substring(3)) + offset;
            AtomicInteger tick = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(1);
            // Fixed rate on the wall clock that both instances share: tick k fires at start + k * period.
            Trigger fixedRate = triggerContext -> {
                int next = tick.incrementAndGet();
                if (next > count) {
                    done.countDown();
                    return null;
                }
                return Instant.ofEpochMilli(start + next * period);
            };
            scheduler.schedule(() -> {
                try {
                    job.run(tick.get());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, fixedRate);
            done.await();
            scheduler.shutdown();
            System.out.println("DONE");
            System.out.flush();
            // Stay alive until the parent is done: an exit would let the kernel release a kept lock early.
            LockedWorkApplication.STDIN.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
