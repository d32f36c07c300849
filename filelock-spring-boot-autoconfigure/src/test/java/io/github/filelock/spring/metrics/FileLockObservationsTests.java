package io.github.filelock.spring.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;

import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.support.Runners;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Each hold is one observation (a span named filelock.hold in a trace), stopped with the method's error, and
 * no observation scope outlives its call on the thread that opened it (a leaked scope makes unrelated work on
 * that thread a child of the lock's span, and carries its trace id in the MDC).
 */
class FileLockObservationsTests {

    @TempDir
    Path tmp;

    private ApplicationContextRunner runner() {
        return Runners.withLockDir(tmp.resolve("locks"))
                .withConfiguration(AutoConfigurations.of(FileLockMetricsAutoConfiguration.class))
                .withUserConfiguration(FileLockMetricsTests.JobsBean.class, AsyncJobsBean.class, Recording.class);
    }

    @Test
    void eachHoldIsAnObservationWithTheNameAsLowCardinalityKey() {
        runner().run(context -> {
            FileLockMetricsTests.Jobs jobs = context.getBean(FileLockMetricsTests.Jobs.class);
            Recording recording = context.getBean(Recording.class);
            jobs.run();
            jobs.reindex(42);
            assertThatRuntimeException().isThrownBy(jobs::fail);

            List<Observation.Context> stopped = recording.stopped;
            assertThat(stopped).hasSize(3);
            assertThat(stopped).extracting(Observation.Context::getContextualName).containsOnly("filelock.hold");
            assertThat(stopped).extracting(c -> c.getLowCardinalityKeyValue("filelock.name").getValue())
                    .containsExactly("job", "doc", "job");
            assertThat(stopped.get(1).getHighCardinalityKeyValue("filelock.lock").getValue()).isEqualTo("doc:42");
            assertThat(stopped.get(0).getError()).isNull();
            assertThat(stopped.get(2).getError()).hasMessage("boom");
            // A synchronous hold is current for the method's run, and its scope is closed when the method ends.
            assertThat(recording.opened(Thread.currentThread())).isEqualTo(3);
            assertThat(recording.closed(Thread.currentThread())).isEqualTo(3);
            assertThat(context.getBean(ObservationRegistry.class).getCurrentObservation()).isNull();
        });
    }

    @Test
    void aCompletableFutureMethodLeavesNoScopeOpenOnAnyThread() {
        runner().run(context -> {
            AsyncJobs jobs = context.getBean(AsyncJobs.class);
            Recording recording = context.getBean(Recording.class);
            // Free at the call: the lock arrives on this thread and the future completes on the executor.
            assertThat(jobs.later().get(30, TimeUnit.SECONDS)).isEqualTo("done");
            awaitStopped(recording, 1);

            assertThat(context.getBean(ObservationRegistry.class).getCurrentObservation())
                    .as("the caller's thread carries no observation after the call").isNull();
            recording.assertEveryScopeClosedOnItsThread();
        });
    }

    @Test
    void aMonoOnAnotherSchedulerLeavesNoScopeOpenOnAnyThread() {
        runner().run(context -> {
            AsyncJobs jobs = context.getBean(AsyncJobs.class);
            Recording recording = context.getBean(Recording.class);
            ObservationRegistry observations = context.getBean(ObservationRegistry.class);
            // Subscribed on this thread (the lock is free, so it arrives here), completed on a parallel thread.
            assertThat(jobs.mono().block(Duration.ofSeconds(30))).isEqualTo("done");
            awaitStopped(recording, 1);
            assertThat(observations.getCurrentObservation()).as("the subscriber's thread after the call").isNull();

            // And on a pipeline that subscribes on a pooled thread, whose next task must start clean.
            assertThat(jobs.mono().subscribeOn(Schedulers.single()).block(Duration.ofSeconds(30))).isEqualTo("done");
            awaitStopped(recording, 2);
            assertThat(Mono.fromCallable(() -> observations.getCurrentObservation() == null)
                    .subscribeOn(Schedulers.single()).block(Duration.ofSeconds(30)))
                    .as("the next task on the thread that subscribed").isTrue();
            recording.assertEveryScopeClosedOnItsThread();
        });
    }

    private static void awaitStopped(Recording recording, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (recording.stopped.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5); // the observation stops as the release runs, just after the caller sees the result
        }
        assertThat(recording.stopped).hasSize(count);
    }

    static class AsyncJobs {

        private final ExecutorService executor = Executors.newSingleThreadExecutor();

        @FileLocked(name = "async", timeout = "30s")
        public CompletableFuture<String> later() {
            return CompletableFuture.supplyAsync(() -> "done", CompletableFuture.delayedExecutor(20,
                    TimeUnit.MILLISECONDS, executor));
        }

        @FileLocked(name = "async", timeout = "30s")
        public Mono<String> mono() {
            return Mono.delay(Duration.ofMillis(20)).map(tick -> "done");
        }

        public void shutdown() {
            executor.shutdownNow();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class AsyncJobsBean {
        @Bean(destroyMethod = "shutdown")
        AsyncJobs asyncJobs() {
            return new AsyncJobs();
        }
    }

    /** An observation handler that writes down each stop, and each scope opened and closed, per thread. */
    @Configuration(proxyBeanMethods = false)
    static class Recording {

        final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
        final Map<Thread, AtomicInteger> scopesOpened = new ConcurrentHashMap<>();
        final Map<Thread, AtomicInteger> scopesClosed = new ConcurrentHashMap<>();

        int opened(Thread thread) {
            return scopesOpened.getOrDefault(thread, new AtomicInteger()).get();
        }

        int closed(Thread thread) {
            return scopesClosed.getOrDefault(thread, new AtomicInteger()).get();
        }

        void assertEveryScopeClosedOnItsThread() {
            for (Thread thread : scopesOpened.keySet()) {
                assertThat(closed(thread)).as("scopes closed on %s", thread.getName()).isEqualTo(opened(thread));
            }
            assertThat(scopesClosed.keySet()).isSubsetOf(scopesOpened.keySet());
        }

        @Bean
        ObservationRegistry observationRegistry() {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(new ObservationHandler<>() {
                @Override
                public void onScopeOpened(Observation.Context context) {
                    scopesOpened.computeIfAbsent(Thread.currentThread(), t -> new AtomicInteger()).incrementAndGet();
                }

                @Override
                public void onScopeClosed(Observation.Context context) {
                    scopesClosed.computeIfAbsent(Thread.currentThread(), t -> new AtomicInteger()).incrementAndGet();
                }

                @Override
                public void onStop(Observation.Context context) {
                    stopped.add(context);
                }

                @Override
                public boolean supportsContext(Observation.Context context) {
                    return true;
                }
            });
            return registry;
        }
    }
}
