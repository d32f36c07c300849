package io.github.filelock.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockHold;
import io.github.filelock.LockType;
import io.github.filelock.spring.CurrentFileLock;
import io.github.filelock.spring.FileLockRegistries;
import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.listener.FileLockListener;
import io.github.filelock.spring.support.Runners;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

/**
 * {@code soft-lease} in Spring: the type per name, its timing from filelock.soft.*, bad timing as a failure analysis,
 * and a {@code @FileLocked} method that learns its lock was lost while it runs (synchronous, CompletableFuture,
 * Reactor), with the thread interrupted only where filelock.locks.<name>.interrupt-on-loss asks for it. A loss is
 * caused for real, by removing the marker from the lock directory as a contender on another host would.
 */
class SoftLeaseConfigurationTests {

    private static final String[] LEASE = {"filelock.locks.jobs.type=soft-lease", "filelock.soft.lease=2s",
        "filelock.soft.heartbeat=200ms"};

    @TempDir
    Path tmp;

    @Test
    void aSoftLeaseNameWritesPythonsLeaseRecordWithTheConfiguredLease() {
        Runners.withLockDir(tmp).withUserConfiguration(Beans.class).withPropertyValues(LEASE).run(context -> {
            FileLockRegistries registries = context.getBean(FileLockRegistries.class);
            assertThat(registries.registryFor("jobs").type()).isEqualTo(LockType.SOFT_LEASE);
            assertThat(context.getBean(Jobs.class).marker(tmp)).startsWith("filelock/2\n").contains("\nmode=lease\n")
                    .contains("\nduration=2.0\n");
        });
    }

    @Test
    void aHeartbeatNotWellBelowTheLeaseFailsStartUpWithAFailureAnalysis() {
        Runners.withLockDir(tmp).withPropertyValues("filelock.type=soft-lease", "filelock.soft.heartbeat=20s",
                "filelock.soft.lease=30s").run(context -> {
                    FailureAnalysis analysis = new FileLockFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription()).contains("filelock.soft.lease").contains("twice");
                    assertThat(analysis.getAction()).contains("filelock.soft.heartbeat");
                });
    }

    @Test
    void aSynchronousMethodSeesItsLockLostAndTheListenerHearsIt() {
        Runners.withLockDir(tmp).withUserConfiguration(Beans.class).withPropertyValues(LEASE).run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            CompletableFuture<String> run = CompletableFuture.supplyAsync(jobs::untilLost);
            breakWhenRunning(context.getBean(Running.class));
            assertThat(run.get(20, TimeUnit.SECONDS)).isEqualTo("lost, not interrupted");
            assertThat(context.getBean(Events.class).events).containsExactly("acquired", "lost", "released");
            assertThat(context.getBean(FileLockRegistries.class).lostHolds()).as("filelock.lost counts it")
                    .isEqualTo(1);
        });
    }

    @Test
    void interruptOnLossInterruptsTheMethodsThread() {
        Runners.withLockDir(tmp).withUserConfiguration(Beans.class).withPropertyValues(LEASE)
                .withPropertyValues("filelock.locks.jobs.interrupt-on-loss=true").run(context -> {
                    Jobs jobs = context.getBean(Jobs.class);
                    CompletableFuture<String> run = CompletableFuture.supplyAsync(jobs::sleepUntilInterrupted);
                    breakWhenRunning(context.getBean(Running.class));
                    assertThat(run.get(20, TimeUnit.SECONDS)).isEqualTo("interrupted");
                });
    }

    @Test
    void asyncAndReactiveMethodsCaptureTheirHoldInTheBody() {
        Runners.withLockDir(tmp).withUserConfiguration(Beans.class).withPropertyValues(LEASE).run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            CompletableFuture<String> future = jobs.futureUntilLost();
            breakWhenRunning(context.getBean(Running.class));
            assertThat(future.get(20, TimeUnit.SECONDS)).isEqualTo("lost");

            context.getBean(Running.class).latch = new CountDownLatch(1);
            CompletableFuture<String> mono = jobs.monoUntilLost().toFuture();
            breakWhenRunning(context.getBean(Running.class));
            assertThat(mono.get(20, TimeUnit.SECONDS)).isEqualTo("lost, seen in the Reactor context");
        });
    }

    private void breakWhenRunning(Running running) throws Exception {
        assertThat(running.latch.await(10, TimeUnit.SECONDS)).isTrue();
        Files.delete(tmp.resolve("jobs.lock"));
    }

    @Configuration
    static class Beans {
        @Bean
        Running running() {
            return new Running();
        }

        @Bean
        Jobs jobs(Running running) {
            return new Jobs(running);
        }

        @Bean
        Events events() {
            return new Events();
        }
    }

    static class Events implements FileLockListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public Call onRequest(io.github.filelock.spring.listener.FileLockRequest request) {
            return new Call() {
                @Override
                public void acquired(Duration waited) {
                    events.add("acquired");
                }

                @Override
                public void lost() {
                    events.add("lost");
                }

                @Override
                public void released(Duration held, Throwable failure) {
                    events.add("released");
                }
            };
        }
    }

    // Apart from Jobs: the proxy of a @FileLocked bean does not share the target's fields.
    static class Running {
        volatile CountDownLatch latch = new CountDownLatch(1);

        void started() {
            latch.countDown();
        }
    }

    static class Jobs {
        private final Running running;

        Jobs(Running running) {
            this.running = running;
        }

        @FileLocked(name = "jobs", timeout = "5s")
        public String marker(Path dir) throws Exception {
            return Files.readString(dir.resolve("jobs.lock"));
        }

        @FileLocked(name = "jobs", timeout = "5s")
        public String untilLost() {
            FileLockHold hold = CurrentFileLock.get();
            running.started();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (hold.isValid() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            return (hold.isValid() ? "valid" : "lost") + (Thread.interrupted() ? ", interrupted" : ", not interrupted");
        }

        @FileLocked(name = "jobs", timeout = "5s")
        public String sleepUntilInterrupted() {
            running.started();
            try {
                Thread.sleep(15_000);
                return "slept on";
            } catch (InterruptedException e) {
                return "interrupted";
            }
        }

        @FileLocked(name = "jobs", timeout = "5s")
        public CompletableFuture<String> futureUntilLost() {
            FileLockHold hold = CurrentFileLock.get();
            CompletableFuture<String> work = new CompletableFuture<>();
            hold.whenLost(() -> work.complete("lost"));
            running.started();
            return work;
        }

        @FileLocked(name = "jobs", timeout = "5s")
        public Mono<String> monoUntilLost() {
            return Mono.deferContextual(context -> {
                FileLockHold hold = context.get(FileLockHold.class);
                CompletableFuture<String> lost = new CompletableFuture<>();
                hold.whenLost(() -> lost.complete("lost, seen in the Reactor context"));
                running.started();
                return Mono.fromFuture(lost);
            });
        }
    }
}
