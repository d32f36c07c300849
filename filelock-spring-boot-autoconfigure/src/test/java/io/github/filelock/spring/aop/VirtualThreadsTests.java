package io.github.filelock.spring.aop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.internal.TestHooks;
import io.github.filelock.internal.VirtualThreads;
import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.support.LockHoldingChild;
import io.github.filelock.spring.support.Runners;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * With {@code spring.threads.virtual.enabled=true}, {@code @FileLocked} methods called from virtual threads, through
 * {@code @Async} and from {@code @Scheduled} all run on virtual threads, wait for a lock that another process holds,
 * and get it once it is let go; none of them blocks in the backend (the engine's test hooks count that).
 */
@Tag("jdk25")
@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "needs virtual threads: mvn -P jdk25 runs it on Temurin 25")
class VirtualThreadsTests {

    private static final int CALLERS = 50;

    @TempDir
    Path tmp;

    private final AtomicInteger blockingOnVirtualThreads = new AtomicInteger();

    @BeforeEach
    void countBlockingCallsOnVirtualThreads() {
        TestHooks.install((point, subject) -> {
            if ((point.equals("KeyEntry.blocking") || point.equals("FlockFile.lock"))
                    && VirtualThreads.isVirtual(Thread.currentThread())) {
                blockingOnVirtualThreads.incrementAndGet();
            }
        });
    }

    @AfterEach
    void removeHook() {
        TestHooks.install(null);
    }

    @Test
    void syncAsyncAndScheduledLockedMethodsRunOnVirtualThreadsAndNeverBlockInTheBackend() {
        Runners.withLockDir(tmp)
                .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
                        TaskSchedulingAutoConfiguration.class))
                .withPropertyValues("spring.threads.virtual.enabled=true")
                .withUserConfiguration(Config.class)
                .run(context -> {
                    Jobs jobs = context.getBean(Jobs.class);
                    FileLockRegistry registry = context.getBean(FileLockRegistry.class);
                    List<CompletableFuture<Boolean>> sync = new ArrayList<>();
                    CompletableFuture<Boolean> async;
                    try (LockHoldingChild holder = LockHoldingChild.start(tmp, "vt")) {
                        jobs.startTicking();
                        for (int i = 0; i < CALLERS; i++) {
                            CompletableFuture<Boolean> result = new CompletableFuture<>();
                            VirtualThreads.factory("caller-").newThread(() -> result.complete(jobs.locked()))
                                    .start();
                            sync.add(result);
                        }
                        async = jobs.lockedAsync();
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                        // the callers, @Async, a @Scheduled run
                        while (registry.diagnostics().waiters().size() < CALLERS + 2) {
                            assertThat(System.nanoTime()).as("waiting: %s", registry.diagnostics().waiters())
                                    .isLessThan(deadline);
                            Thread.sleep(5);
                        }
                        assertThat(async).isNotDone();
                    } // the child is killed: the kernel lets its lock go
                    for (CompletableFuture<Boolean> result : sync) {
                        assertThat(result.get(30, TimeUnit.SECONDS)).as("ran on a virtual thread").isTrue();
                    }
                    assertThat(async.get(30, TimeUnit.SECONDS)).as("@Async ran on a virtual thread").isTrue();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (jobs.scheduledRuns().isEmpty()) {
                        assertThat(System.nanoTime()).as("a @Scheduled run got the lock").isLessThan(deadline);
                        Thread.sleep(5);
                    }
                    assertThat(jobs.scheduledRuns()).as("@Scheduled ran on virtual threads").containsOnly(true);
                    assertThat(blockingOnVirtualThreads).as("blocking backend calls on virtual threads").hasValue(0);
                });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    @EnableScheduling
    static class Config {

        @Bean
        Jobs jobs() {
            return new Jobs();
        }

        @Bean
        Ticker ticker(Jobs jobs) {
            return new Ticker(jobs);
        }
    }

    static class Jobs {

        // Methods, not fields: the test and the ticker see this bean through its proxy.
        private final AtomicBoolean ticking = new AtomicBoolean(); // set once the lock is held elsewhere
        private final Queue<Boolean> scheduledRuns = new ConcurrentLinkedQueue<>();

        public void startTicking() {
            ticking.set(true);
        }

        public boolean ticking() {
            return ticking.get();
        }

        public List<Boolean> scheduledRuns() {
            return List.copyOf(scheduledRuns);
        }

        @FileLocked(name = "vt", timeout = "60s")
        public boolean locked() {
            return VirtualThreads.isVirtual(Thread.currentThread());
        }

        @Async
        @FileLocked(name = "vt", timeout = "60s")
        public CompletableFuture<Boolean> lockedAsync() {
            return CompletableFuture.completedFuture(VirtualThreads.isVirtual(Thread.currentThread()));
        }

        @FileLocked(name = "vt", timeout = "60s")
        public void lockedTick() {
            scheduledRuns.add(VirtualThreads.isVirtual(Thread.currentThread()));
        }
    }

    /** Calls the locked job through its proxy, on the scheduler's thread. */
    static class Ticker {

        private final Jobs jobs;

        Ticker(Jobs jobs) {
            this.jobs = jobs;
        }

        @Scheduled(fixedDelay = 20)
        public void tick() {
            if (jobs.ticking()) {
                jobs.lockedTick();
            }
        }
    }
}
