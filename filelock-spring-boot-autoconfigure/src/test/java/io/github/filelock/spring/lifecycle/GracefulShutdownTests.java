package io.github.filelock.spring.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockDrainingException;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.spring.CurrentFileLock;
import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.OnTimeout;
import io.github.filelock.spring.actuate.FileLockHealthIndicator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A real Boot context closes while one {@code @FileLocked} method holds a lock and three wait for it (FAIL, SKIP, a
 * CompletableFuture): the waiters get their outcome at once, the health turns OUT_OF_SERVICE, the holder finishes
 * with its normal result, and the context closes within the shutdown phase's timeout, not after the waiters' 60 s.
 */
class GracefulShutdownTests {

    private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void waitersEndAtOnceTheHolderFinishesAndTheContextClosesInTime() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .properties("filelock.dir=" + dir, "spring.main.banner-mode=off",
                        "spring.lifecycle.timeout-per-shutdown-phase=" + PHASE_TIMEOUT.toSeconds() + "s")
                .run();
        Jobs jobs = context.getBean(Jobs.class);
        FileLockRegistry registry = context.getBean(FileLockRegistry.class);
        FileLockHealthIndicator health = context.getBean(FileLockHealthIndicator.class);
        assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);

        CompletableFuture<String> holder = CompletableFuture.supplyAsync(jobs::hold);
        assertThat(jobs.holding().await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Object> failing = outcome(jobs::failing);
        CompletableFuture<Object> skipping = outcome(jobs::skipping);
        CompletableFuture<Object> skippingForever = outcome(jobs::skippingForever);
        CompletableFuture<String> async = jobs.async();
        awaitWaiters(registry, 4);

        long closeStart = System.nanoTime();
        Thread closer = new Thread(context::close, "closer");
        closer.start();
        Object failed = failing.get(10, TimeUnit.SECONDS);
        Object skipped = skipping.get(10, TimeUnit.SECONDS);
        Object skippedForever = skippingForever.get(10, TimeUnit.SECONDS);
        Throwable asyncFailure = async.handle((value, error) ->
                error instanceof java.util.concurrent.CompletionException
                ? error.getCause() : error).get(10, TimeUnit.SECONDS);
        long waitersDone = System.nanoTime() - closeStart;

        assertThat(failed).isInstanceOf(FileLockDrainingException.class);
        assertThat(((Throwable) failed).getMessage()).contains("shutting down");
        assertThat(skipped).as("SKIP returns null without running").isNull();
        assertThat(skippedForever).as("SKIP with timeout -1 skips too when the drain ends its wait").isNull();
        assertThat(asyncFailure).isInstanceOf(FileLockDrainingException.class);
        assertThat(registry.isDraining()).isTrue();
        assertThat(health.health(true).getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(closer.isAlive()).as("the context waits for the holder").isTrue();
        assertThat(holder).isNotDone();

        long holderReleased = System.nanoTime() - closeStart;
        jobs.finish().countDown();
        assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("held with token 1");
        closer.join(PHASE_TIMEOUT.toMillis());
        long closed = System.nanoTime() - closeStart;
        assertThat(closer.isAlive()).isFalse();
        assertThat(context.isActive()).isFalse();
        assertThat(Duration.ofNanos(closed)).isLessThan(PHASE_TIMEOUT);
        System.out.printf("graceful shutdown (no web): 3 waiters answered %.1f ms after close began; holder let go"
                + " at %.1f ms; context closed at %.1f ms (phase timeout %d s)%n", waitersDone / 1e6,
                holderReleased / 1e6, closed / 1e6, PHASE_TIMEOUT.toSeconds());
    }

    @Test
    void theContextDoesNotWaitLongerThanThePhaseTimeoutForAHolderThatNeverEnds() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .properties("filelock.dir=" + dir, "spring.main.banner-mode=off",
                        "spring.lifecycle.timeout-per-shutdown-phase=1s")
                .run();
        Jobs jobs = context.getBean(Jobs.class);
        CompletableFuture<String> holder = CompletableFuture.supplyAsync(jobs::hold);
        assertThat(jobs.holding().await(30, TimeUnit.SECONDS)).isTrue();
        long start = System.nanoTime();
        context.close();
        long took = System.nanoTime() - start;
        assertThat(Duration.ofNanos(took)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(10));
        jobs.finish().countDown();
        assertThat(holder.get(10, TimeUnit.SECONDS)).startsWith("held");
    }

    private static CompletableFuture<Object> outcome(java.util.function.Supplier<Object> call) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return call.get();
            } catch (RuntimeException e) {
                return e;
            }
        });
    }

    private static void awaitWaiters(FileLockRegistry registry, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (registry.diagnostics().waiters().size() < count) {
            assertThat(System.nanoTime()).as("waiters: " + registry.diagnostics().waiters()).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        Jobs jobs() {
            return new Jobs();
        }
    }

    static class Jobs {
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch finish = new CountDownLatch(1);

        // Through methods: the bean is a proxy, whose own fields are unset.
        public CountDownLatch holding() {
            return holding;
        }

        public CountDownLatch finish() {
            return finish;
        }

        @FileLocked(name = "tick", timeout = "60s")
        public String hold() {
            long token = CurrentFileLock.fencingToken();
            holding.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "held with token " + token;
        }

        @FileLocked(name = "tick", timeout = "60s")
        public Object failing() {
            return "ran";
        }

        @FileLocked(name = "tick", timeout = "60s", onTimeout = OnTimeout.SKIP)
        public Object skipping() {
            return "ran";
        }

        // -1 waits until the lock is free: only the drain ends its wait, and SKIP must still mean skip
        @FileLocked(name = "tick", timeout = "-1", onTimeout = OnTimeout.SKIP)
        public Object skippingForever() {
            return "ran";
        }

        @FileLocked(name = "tick", timeout = "60s")
        public CompletableFuture<String> async() {
            return CompletableFuture.completedFuture("ran");
        }
    }
}
