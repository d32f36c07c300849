package io.github.filelock.spring.aop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.github.filelock.FileLockTimeoutException;
import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.multiprocess.FileCounter;
import io.github.filelock.spring.support.Runners;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Two application contexts in one JVM, each with its own registry on the same directory, exclude each other. */
class TwoContextsOneDirectoryTests {

    @TempDir
    Path tmp;

    @Test
    void aHoldInOneContextExcludesTheOtherUntilReleased() {
        ApplicationContextRunner runner = Runners.withLockDir(tmp.resolve("locks")).withUserConfiguration(Config.class)
                .withPropertyValues("counter.file=" + tmp.resolve("counter.txt"));
        runner.run(first -> runner.run(second -> {
            Gate firstGate = first.getBean(Gate.class);
            Gate secondGate = second.getBean(Gate.class);
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch leave = new CountDownLatch(1);
            CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> firstGate.hold(entered, leave));
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
            assertThatExceptionOfType(FileLockTimeoutException.class).isThrownBy(secondGate::tryOnce);
            leave.countDown();
            holder.get(30, TimeUnit.SECONDS);
            secondGate.tryOnce();

            FileCounter a = first.getBean(FileCounter.class);
            FileCounter b = second.getBean(FileCounter.class);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                Future<?>[] work = new Future<?>[4];
                for (int i = 0; i < 4; i++) {
                    FileCounter counter = i % 2 == 0 ? a : b;
                    work[i] = pool.submit(() -> {
                        for (int j = 0; j < 100; j++) {
                            counter.increment();
                        }
                    });
                }
                for (Future<?> f : work) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(a.value()).isEqualTo(400);
        }));
    }

    static class Gate {
        @FileLocked(name = "gate", timeout = "30s")
        public void hold(CountDownLatch entered, CountDownLatch leave) {
            entered.countDown();
            try {
                leave.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @FileLocked(name = "gate", timeout = "0")
        public void tryOnce() {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Config {
        @Bean
        Gate gate() {
            return new Gate();
        }

        @Bean
        FileCounter fileCounter(org.springframework.core.env.Environment env) {
            return new FileCounter(Path.of(env.getRequiredProperty("counter.file")));
        }
    }
}
