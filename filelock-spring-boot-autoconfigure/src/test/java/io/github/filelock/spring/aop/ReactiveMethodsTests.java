package io.github.filelock.spring.aop;

import static io.github.filelock.spring.support.FlockTool.eventuallyFree;
import static io.github.filelock.spring.support.FlockTool.otherProcessCanLock;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.FileLockTimeoutException;
import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.OnTimeout;
import io.github.filelock.spring.support.HeldByAnotherThread;
import io.github.filelock.spring.support.LockRecorder;
import io.github.filelock.spring.support.Runners;
import io.github.filelock.spring.support.TimeoutExceptionCounter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** Methods returning Mono and Flux hold the lock from subscription until termination, through real pipelines. */
class ReactiveMethodsTests {

    @TempDir
    Path tmp;

    @Test
    void assemblingTakesNothingSubscribingLocksUntilTheMonoCompletes() {
        run(context -> {
            Streams streams = context.getBean(Streams.class);
            Sinks.One<String> value = Sinks.one();
            Mono<String> mono = streams.mono(value.asMono());
            assertThat(otherProcessCanLock(lockFile(context))).as("not subscribed yet").isTrue();
            assertThat(streams.calls()).isZero();
            StepVerifier.create(mono)
                    .then(() -> assertThat(held(context)).as("held while the Mono is pending").isTrue())
                    .then(() -> value.tryEmitValue("v"))
                    .expectNext("v")
                    .verifyComplete();
            assertThat(eventuallyFree(lockFile(context))).isTrue();
            assertThat(recorder(context).events).containsExactly("request stream", "acquired stream",
                    "released stream");
        });
    }

    @Test
    void aFluxOnAnotherSchedulerHoldsTheLockUntilItsLastElement() {
        run(context -> {
            Streams streams = context.getBean(Streams.class);
            List<Integer> seen = streams.flux(Flux.range(1, 5).delayElements(Duration.ofMillis(20))
                    .doOnNext(i -> assertThat(held(context)).isTrue()))
                    .publishOn(Schedulers.boundedElastic())
                    .collectList().block(Duration.ofSeconds(30));
            assertThat(seen).containsExactly(1, 2, 3, 4, 5);
            assertThat(eventuallyFree(lockFile(context))).isTrue();
        });
    }

    @Test
    void anErrorReleasesTheLockAndReachesTheSubscriber() {
        run(context -> {
            StepVerifier.create(context.getBean(Streams.class).mono(Mono.error(new IllegalStateException("boom"))))
                    .verifyErrorMessage("boom");
            assertThat(eventuallyFree(lockFile(context))).isTrue();
            assertThat(recorder(context).events).containsExactly("request stream", "acquired stream",
                    "released stream after IllegalStateException");
        });
    }

    @Test
    void disposingWhileHoldingReleasesTheLock() {
        run(context -> {
            Disposable subscription = context.getBean(Streams.class).flux(Flux.never()).subscribe();
            assertThat(held(context)).isTrue();
            subscription.dispose();
            assertThat(eventuallyFree(lockFile(context))).isTrue();
            assertThat(recorder(context).events).containsExactly("request stream", "acquired stream",
                    "released stream after CancellationException");
        });
    }

    @Test
    void disposingWhileWaitingStopsTheWaitAndTheMethodNeverRuns() {
        run(context -> {
            Streams streams = context.getBean(Streams.class);
            FileLockRegistry registry = context.getBean(FileLockRegistry.class);
            try (HeldByAnotherThread other = new HeldByAnotherThread(registry, "stream")) {
                Disposable subscription = streams.mono(Mono.just("late")).subscribe();
                subscription.dispose();
            }
            assertThat(eventuallyFree(lockFile(context))).isTrue();
            assertThat(registry.diagnostics().waiters()).isEmpty();
            assertThat(streams.calls()).isZero();
            assertThat(recorder(context).events).containsExactly("request stream", "INTERRUPTED stream");
        });
    }

    @Test
    void aTimeoutIsAnErrorSignalAndSkipIsAnEmptyPublisher() {
        run(context -> {
            Streams streams = context.getBean(Streams.class);
            try (HeldByAnotherThread other = new HeldByAnotherThread(context.getBean(FileLockRegistry.class),
                    "stream")) {
                StepVerifier.create(streams.quick()).verifyError(FileLockTimeoutException.class);
                StepVerifier.create(streams.skipping()).verifyComplete();
            }
            assertThat(streams.calls()).isZero();
        });
    }

    @Test
    void aSkipBuildsNoTimeoutException() {
        run(context -> {
            Streams streams = context.getBean(Streams.class);
            try (TimeoutExceptionCounter exceptions = new TimeoutExceptionCounter();
                    HeldByAnotherThread other = new HeldByAnotherThread(context.getBean(FileLockRegistry.class),
                            "stream")) {
                StepVerifier.create(streams.skipping()).verifyComplete();
                StepVerifier.create(streams.skipping()).verifyComplete();
                assertThat(exceptions.built()).as("timeout exceptions built for two skips").isZero();
            }
            assertThat(streams.calls()).isZero();
            assertThat(recorder(context).events).containsExactly("request stream", "SKIPPED stream", "request stream",
                    "SKIPPED stream");
        });
    }

    @Test
    void everySubscriptionLocksAndRunsTheMethodAgainSoRetryWorks() {
        run(context -> {
            Streams streams = context.getBean(Streams.class);
            AtomicInteger attempts = new AtomicInteger();
            Mono<String> flaky = Mono.defer(() -> attempts.incrementAndGet() == 1
                    ? Mono.error(new IllegalStateException("first")) : Mono.just("second"));
            StepVerifier.create(streams.mono(flaky).retry(1)).expectNext("second").verifyComplete();
            assertThat(streams.calls()).isEqualTo(2);
            assertThat(recorder(context).events).containsExactly("request stream", "acquired stream",
                    "released stream after IllegalStateException", "request stream", "acquired stream",
                    "released stream");
        });
    }

    private void run(AsyncFutureMethodsTests.ContextTest test) {
        Runners.withLockDir(tmp).withUserConfiguration(Beans.class).run(context -> test.run(context));
    }

    private static boolean held(AssertableApplicationContext context) {
        try {
            return !otherProcessCanLock(lockFile(context));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path lockFile(AssertableApplicationContext context) {
        return context.getBean(FileLockRegistry.class).diagnostics().lockFile("stream");
    }

    private static LockRecorder recorder(AssertableApplicationContext context) {
        return context.getBean(LockRecorder.class);
    }

    @Configuration
    static class Beans {

        @Bean
        Streams streams() {
            return new Streams();
        }

        @Bean
        LockRecorder lockRecorder() {
            return new LockRecorder();
        }
    }

    static class Streams {

        private final AtomicInteger calls = new AtomicInteger();

        @FileLocked(name = "stream", timeout = "30s")
        public Mono<String> mono(Mono<String> source) {
            calls.incrementAndGet();
            return source;
        }

        @FileLocked(name = "stream", timeout = "30s")
        public Flux<Integer> flux(Flux<Integer> source) {
            calls.incrementAndGet();
            return source;
        }

        @FileLocked(name = "stream", timeout = "100ms")
        public Mono<String> quick() {
            calls.incrementAndGet();
            return Mono.just("quick");
        }

        @FileLocked(name = "stream", timeout = "100ms", onTimeout = OnTimeout.SKIP)
        public Flux<Integer> skipping() {
            calls.incrementAndGet();
            return Flux.just(1);
        }

        public int calls() {
            return calls.get();
        }
    }
}
