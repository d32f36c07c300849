package io.github.filelock.spring.aop;

import static io.github.filelock.spring.support.FlockTool.eventuallyFree;
import static io.github.filelock.spring.support.FlockTool.otherProcessCanLock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.FileLockTimeoutException;
import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.OnTimeout;
import io.github.filelock.spring.support.HeldByAnotherThread;
import io.github.filelock.spring.support.LockRecorder;
import io.github.filelock.spring.support.Runners;
import io.github.filelock.spring.support.TimeoutExceptionCounter;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * Methods returning {@code CompletableFuture} / {@code CompletionStage} hold the lock until the returned stage
 * completes, on real executors; a flock(1) process checks the lock from outside.
 */
class AsyncFutureMethodsTests {

    @TempDir
    Path tmp;

    @Test
    void theLockIsHeldAfterTheMethodReturnsUntilItsFutureCompletes() {
        run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            CompletableFuture<String> outcome = new CompletableFuture<>();
            CompletableFuture<String> result = jobs.work(outcome);
            assertThat(result).isNotDone();
            assertThat(otherProcessCanLock(lockFile(context))).as("held while the future is pending").isFalse();
            outcome.complete("done");
            assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo("done");
            assertThat(eventuallyFree(lockFile(context))).isTrue();
            assertThat(jobs.ranOn()).as("free at the call: the method runs on the caller")
                    .isEqualTo(Thread.currentThread().getName());
            assertThat(recorder(context).events).containsExactly("request job", "acquired job", "released job");
        });
    }

    @Test
    void aFutureThatFailsReleasesTheLockAndTheCallerSeesTheFailure() {
        run(context -> {
            CompletableFuture<String> outcome = new CompletableFuture<>();
            CompletableFuture<String> result = context.getBean(Jobs.class).work(outcome);
            outcome.completeExceptionally(new IllegalStateException("boom"));
            assertThatThrownBy(() -> result.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(IllegalStateException.class).hasMessage("boom");
            assertThat(eventuallyFree(lockFile(context))).isTrue();
            assertThat(recorder(context).events).containsExactly("request job", "acquired job",
                    "released job after IllegalStateException");
        });
    }

    @Test
    void cancellingTheResultWhileHoldingReleasesTheLockAtOnce() {
        run(context -> {
            CompletableFuture<String> never = new CompletableFuture<>();
            CompletableFuture<String> result = context.getBean(Jobs.class).work(never);
            assertThat(otherProcessCanLock(lockFile(context))).isFalse();
            assertThat(result.cancel(true)).isTrue();
            assertThat(otherProcessCanLock(lockFile(context))).as("released by the cancel itself").isTrue();
            assertThat(recorder(context).events).containsExactly("request job", "acquired job",
                    "released job after CancellationException");
        });
    }

    @Test
    void cancellingTheResultWhileWaitingStopsTheWaitAndTheMethodNeverRuns() {
        run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            FileLockRegistry registry = context.getBean(FileLockRegistry.class);
            CompletableFuture<String> result;
            try (HeldByAnotherThread other = new HeldByAnotherThread(registry, "job")) {
                result = jobs.work(CompletableFuture.completedFuture("late"));
                assertThat(result).isNotDone();
                result.cancel(true);
            }
            assertThat(eventuallyFree(lockFile(context))).as("a hold that arrives after the cancel is dropped")
                    .isTrue();
            assertThat(registry.diagnostics().waiters()).isEmpty();
            assertThat(jobs.calls()).isZero();
            assertThat(recorder(context).events).containsExactly("request job", "INTERRUPTED job");
        });
    }

    @Test
    void whenTheLockIsBusyTheMethodRunsOnceItArrivesOnTheWaiterThread() {
        run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            CompletableFuture<String> result;
            try (HeldByAnotherThread other = new HeldByAnotherThread(context.getBean(FileLockRegistry.class), "job")) {
                result = jobs.work(CompletableFuture.completedFuture("after"));
                assertThat(jobs.calls()).isZero();
            }
            assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo("after");
            assertThat(jobs.ranOn()).startsWith("filelock-async-");
        });
    }

    @Test
    void aTimeoutOfMinusOneWaitsUntilTheLockIsFree() {
        run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            FileLockRegistry registry = context.getBean(FileLockRegistry.class);
            CompletableFuture<String> result;
            try (HeldByAnotherThread other = new HeldByAnotherThread(registry, "job")) {
                result = jobs.patient();
                FileLockedMethodsTests.awaitWaiter(registry, "job");
                assertThat(result).as("still waiting").isNotDone();
            }
            assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo("patient");
            assertThat(recorder(context).events).containsExactly("request job", "acquired job", "released job");
        });
    }

    @Test
    void aTimeoutAndSkipArriveThroughTheFutureNotAsAThrownException() {
        run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            try (HeldByAnotherThread other = new HeldByAnotherThread(context.getBean(FileLockRegistry.class), "job")) {
                CompletionStage<String> timedOut = jobs.quick();
                assertThatThrownBy(() -> timedOut.toCompletableFuture().get(30, TimeUnit.SECONDS))
                        .cause().isInstanceOf(FileLockTimeoutException.class);
                CompletableFuture<String> skipped = jobs.skipping();
                assertThat(skipped.get(30, TimeUnit.SECONDS)).isNull();
            }
            assertThat(jobs.calls()).isZero();
            assertThat(recorder(context).events).containsExactly("request job", "TIMEOUT job", "request job",
                    "SKIPPED job");
        });
    }

    @Test
    void anAsyncSkipBuildsNoTimeoutException() {
        run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            try (TimeoutExceptionCounter exceptions = new TimeoutExceptionCounter();
                    HeldByAnotherThread other = new HeldByAnotherThread(context.getBean(FileLockRegistry.class),
                            "job")) {
                assertThat(jobs.skipping().get(30, TimeUnit.SECONDS)).isNull();
                assertThat(jobs.skippingAtOnce().get(30, TimeUnit.SECONDS)).isNull();
                assertThat(exceptions.built()).as("timeout exceptions built for two skips").isZero();
                CompletionStage<String> timedOut = jobs.quick();
                assertThatThrownBy(() -> timedOut.toCompletableFuture().get(30, TimeUnit.SECONDS))
                        .cause().isInstanceOf(FileLockTimeoutException.class);
                assertThat(exceptions.built()).as("the counter sees a timeout's").isOne();
            }
            assertThat(jobs.calls()).isZero();
            assertThat(recorder(context).events).containsExactly("request job", "SKIPPED job", "request job",
                    "SKIPPED job", "request job", "TIMEOUT job");
        });
    }

    @Test
    void aNestedAsyncCallOnTheSameNameWaitsLikeAnyCallerAndTimesOutInsteadOfDeadlocking() {
        run(context -> {
            CompletableFuture<String> outer = context.getBean(Jobs.class).outer();
            assertThatThrownBy(() -> outer.get(30, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(FileLockTimeoutException.class).hasMessageContaining("'job'");
            assertThat(eventuallyFree(lockFile(context))).isTrue();
        });
    }

    private void run(ContextTest test) {
        Runners.withLockDir(tmp).withUserConfiguration(Beans.class).run(context -> test.run(context));
    }

    private static Path lockFile(AssertableApplicationContext context) {
        return context.getBean(FileLockRegistry.class).diagnostics().lockFile("job");
    }

    private static LockRecorder recorder(AssertableApplicationContext context) {
        return context.getBean(LockRecorder.class);
    }

    interface ContextTest {
        void run(AssertableApplicationContext context) throws Exception;
    }

    @Configuration
    static class Beans {

        @Bean(destroyMethod = "shutdownNow")
        ExecutorService executor() {
            return Executors.newFixedThreadPool(2);
        }

        @Bean
        Jobs jobs(ExecutorService executor, @Lazy Jobs self) {
            return new Jobs(executor, self);
        }

        @Bean
        LockRecorder lockRecorder() {
            return new LockRecorder();
        }
    }

    static class Jobs {

        final ExecutorService executor;
        final Jobs self;
        final AtomicInteger calls = new AtomicInteger();
        volatile String ranOn;

        Jobs(ExecutorService executor, Jobs self) {
            this.executor = executor;
            this.self = self;
        }

        @FileLocked(name = "job", timeout = "30s")
        public CompletableFuture<String> work(CompletableFuture<String> outcome) {
            calls.incrementAndGet();
            ranOn = Thread.currentThread().getName();
            return outcome.thenApplyAsync(value -> value, executor);
        }

        @FileLocked(name = "job", timeout = "200ms")
        public CompletionStage<String> quick() {
            calls.incrementAndGet();
            return CompletableFuture.completedStage("quick");
        }

        @FileLocked(name = "job", timeout = "100ms", onTimeout = OnTimeout.SKIP)
        public CompletableFuture<String> skipping() {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture("ran");
        }

        @FileLocked(name = "job", timeout = "-1")
        public CompletableFuture<String> patient() {
            return CompletableFuture.completedFuture("patient");
        }

        @FileLocked(name = "job", timeout = "0", onTimeout = OnTimeout.SKIP)
        public CompletableFuture<String> skippingAtOnce() {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture("ran");
        }

        // Read through the proxy: a class-based proxy's own fields are empty.
        public int calls() {
            return calls.get();
        }

        public String ranOn() {
            return ranOn;
        }

        /** Holds "job" and waits, on the executor, for a nested async call on "job". */
        @FileLocked(name = "job", timeout = "30s")
        public CompletableFuture<String> outer() {
            return CompletableFuture.supplyAsync(() -> self.quick().toCompletableFuture().join(), executor);
        }
    }
}
