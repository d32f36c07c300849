package io.github.filelock.spring.aop;

import static io.github.filelock.spring.support.FlockTool.otherProcessCanLock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.listener.FileLockListener;
import io.github.filelock.spring.metrics.FileLockMetricsAutoConfiguration;
import io.github.filelock.spring.support.Runners;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

/**
 * A listener (or an ObservationHandler behind one) that throws when the lock arrives: the call fails with its
 * exception, the method does not run, and the lock is free again for another process, for every result kind.
 */
class ThrowingListenerTests {

    @TempDir
    Path tmp;

    @Test
    void aSyncCallFailsWithTheListenersExceptionAndReleasesTheLock() {
        run(context -> {
            Guarded guarded = context.getBean(Guarded.class);
            assertThatThrownBy(guarded::sync).isInstanceOf(IllegalStateException.class).hasMessage("listener broke");
            assertLockFreeAndMethodNotRun(context);
        });
    }

    @Test
    void aFutureCompletesWithTheListenersExceptionAndReleasesTheLock() {
        run(context -> {
            CompletableFuture<String> result = context.getBean(Guarded.class).future();
            assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS)).as("completes, does not hang")
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(IllegalStateException.class)
                    .hasMessage("listener broke");
            assertLockFreeAndMethodNotRun(context);
        });
    }

    @Test
    void aMonoErrorsWithTheListenersExceptionAndReleasesTheLock() {
        run(context -> {
            Mono<String> result = context.getBean(Guarded.class).mono();
            assertThatThrownBy(() -> result.block(Duration.ofSeconds(30))).isInstanceOf(IllegalStateException.class)
                    .hasMessage("listener broke");
            assertLockFreeAndMethodNotRun(context);
        });
    }

    @Test
    void anObservationHandlerThatThrowsReleasesTheLock() {
        Runners.withLockDir(tmp).withConfiguration(AutoConfigurations.of(FileLockMetricsAutoConfiguration.class))
                .withUserConfiguration(GuardedBean.class, ThrowingHandler.class).run(context -> {
            Guarded guarded = context.getBean(Guarded.class);
            assertThatThrownBy(guarded::sync).isInstanceOf(IllegalStateException.class).hasMessage("handler broke");
            assertLockFreeAndMethodNotRun(context);
            assertThat(context.getBean(ObservationRegistry.class).getCurrentObservation())
                    .as("the half-opened scope is not left current on the caller's thread").isNull();
        });
    }

    private void run(ContextTest test) {
        Runners.withLockDir(tmp).withUserConfiguration(GuardedBean.class, ThrowingListener.class).run(context -> {
            assertThat(context).hasNotFailed();
            test.run(context);
        });
    }

    private static void assertLockFreeAndMethodNotRun(AssertableApplicationContext context) throws Exception {
        FileLockRegistry registry = context.getBean(FileLockRegistry.class);
        assertThat(registry.diagnostics().localHolds()).as("no hold left in this JVM").isEmpty();
        assertThat(otherProcessCanLock(registry.diagnostics().lockFile("guarded")))
                .as("flock -n from another process").isTrue();
        assertThat(context.getBean(Guarded.class).calls()).isZero();
    }

    interface ContextTest {
        void run(AssertableApplicationContext context) throws Exception;
    }

    @Configuration(proxyBeanMethods = false)
    static class GuardedBean {
        @Bean
        Guarded guarded() {
            return new Guarded();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ThrowingListener {
        @Bean
        FileLockListener throwingListener() {
            return request -> new FileLockListener.Call() {
                @Override
                public void acquired(Duration waited) {
                    throw new IllegalStateException("listener broke");
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ThrowingHandler {
        @Bean
        ObservationRegistry observationRegistry() {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(new ObservationHandler<>() {
                @Override
                public void onScopeOpened(Observation.Context context) {
                    throw new IllegalStateException("handler broke");
                }

                @Override
                public boolean supportsContext(Observation.Context context) {
                    return true;
                }
            });
            return registry;
        }
    }

    static class Guarded {

        private final AtomicInteger calls = new AtomicInteger();

        @FileLocked(name = "guarded", timeout = "5s")
        public String sync() {
            calls.incrementAndGet();
            return "ran";
        }

        @FileLocked(name = "guarded", timeout = "5s")
        public CompletableFuture<String> future() {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture("ran");
        }

        @FileLocked(name = "guarded", timeout = "5s")
        public Mono<String> mono() {
            return Mono.fromCallable(() -> {
                calls.incrementAndGet();
                return "ran";
            });
        }

        public int calls() {
            return calls.get();
        }
    }
}
