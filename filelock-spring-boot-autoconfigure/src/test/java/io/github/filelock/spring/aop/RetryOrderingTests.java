package io.github.filelock.spring.aop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.support.Runners;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.resilience.annotation.EnableResilientMethods;
import org.springframework.resilience.annotation.Retryable;

/**
 * Spring Framework 7's {@code @Retryable} wraps the lock: each attempt takes and releases the lock, and the
 * back-off between attempts holds nothing, so other processes can work meanwhile.
 */
class RetryOrderingTests {

    @TempDir
    Path tmp;

    @Test
    void eachAttemptRunsUnderTheLockAndTheBackOffDoesNotHoldIt() {
        Runners.withLockDir(tmp).withUserConfiguration(Config.class).run(context -> {
            Flaky flaky = context.getBean(Flaky.class);
            Attempts attempts = context.getBean(Attempts.class);
            FileLockRegistry registry = context.getBean(FileLockRegistry.class);
            CompletableFuture<String> result = CompletableFuture.supplyAsync(flaky::work);
            assertThat(attempts.firstFailed.await(30, TimeUnit.SECONDS)).isTrue();

            // During the 1.5 s back-off another thread can take the lock (poll: the release follows the throw).
            Optional<FileLockHold> probe = Optional.empty();
            for (int i = 0; i < 100 && probe.isEmpty() && !result.isDone(); i++) {
                probe = registry.tryAcquire("flaky");
                if (probe.isEmpty()) {
                    Thread.sleep(5);
                }
            }
            assertThat(probe).as("lock free during the retry back-off").isPresent();
            probe.get().close();

            assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo("ok on attempt 2");
            assertThat(attempts.holdCounts).containsExactly(1, 1);
        });
    }

    /** What the attempts saw; a plain bean, since a CGLIB proxy's own fields stay empty. */
    static class Attempts {
        final CountDownLatch firstFailed = new CountDownLatch(1);
        final List<Integer> holdCounts = new CopyOnWriteArrayList<>();
    }

    static class Flaky {
        @Autowired
        FileLockRegistry registry;

        @Autowired
        Attempts attempts;

        @Retryable(maxRetries = 2, delay = 1500)
        @FileLocked(name = "flaky", timeout = "10s")
        public String work() {
            attempts.holdCounts.add(registry.holdCount("flaky"));
            if (attempts.holdCounts.size() == 1) {
                attempts.firstFailed.countDown();
                throw new IllegalStateException("first attempt fails");
            }
            return "ok on attempt " + attempts.holdCounts.size();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableResilientMethods
    static class Config {
        @Bean
        Attempts attempts() {
            return new Attempts();
        }

        @Bean
        Flaky flaky() {
            return new Flaky();
        }
    }
}
