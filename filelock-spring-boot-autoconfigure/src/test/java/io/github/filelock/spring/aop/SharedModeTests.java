package io.github.filelock.spring.aop;

import static io.github.filelock.spring.support.FlockTool.tryLock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockMode;
import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.OnTimeout;
import io.github.filelock.spring.support.Runners;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code @FileLocked(mode = SHARED)} on threads of one JVM, seen by flock(1) in another process. */
class SharedModeTests {

    @TempDir
    Path tmp;

    @Test
    void severalThreadsReadAtOnceWhileWritersAreKeptOut() {
        Runners.withLockDir(tmp).withUserConfiguration(Beans.class).run(context -> {
            Index index = context.getBean(Index.class);
            Writer writer = context.getBean(Writer.class);
            Path file = context.getBean(FileLockRegistry.class).diagnostics().lockFile("index");
            CountDownLatch inside = new CountDownLatch(3);
            CountDownLatch leave = new CountDownLatch(1);
            List<Thread> readers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Thread reader = new Thread(() -> index.read(inside, leave), "reader-" + i);
                reader.start();
                readers.add(reader);
            }
            assertThat(inside.await(30, TimeUnit.SECONDS)).as("three readers inside at once").isTrue();
            assertThat(writer.write()).as("a writer in this JVM is skipped").isNull();
            assertThat(tryLock("-x", file)).as("flock -x in another process").isEqualTo(1);
            assertThat(tryLock("-s", file)).as("flock -s in another process reads along").isZero();

            leave.countDown();
            for (Thread reader : readers) {
                reader.join(30_000);
            }
            assertThat(writer.write()).isTrue();
        });
    }

    @Test
    void upgradingFromSharedToExclusiveOnTheSameNameFailsClearly() {
        Runners.withLockDir(tmp).withUserConfiguration(Beans.class).run(context -> {
            Index index = context.getBean(Index.class);
            assertThatIllegalStateException().isThrownBy(index::readThenWrite)
                    .withMessageContaining("holds lock 'index' SHARED and asks for it EXCLUSIVE")
                    .withMessageContaining("upgrading is not supported");
            assertThat(context.getBean(FileLockRegistry.class).diagnostics().localHolds()).isEmpty();
        });
    }

    @Test
    void aWriterMayReadInsideItsExclusiveHold() {
        Runners.withLockDir(tmp).withUserConfiguration(Beans.class).run(context -> {
            assertThat(context.getBean(Writer.class).writeThenRead()).containsExactly(LockMode.EXCLUSIVE);
        });
    }

    @Configuration
    static class Beans {

        @Bean
        Writer writer(FileLockRegistry registry) {
            return new Writer(registry);
        }

        @Bean
        Index index(Writer writer) {
            return new Index(writer);
        }
    }

    static class Index {

        private final Writer writer;

        Index(Writer writer) {
            this.writer = writer;
        }

        @FileLocked(name = "index", mode = LockMode.SHARED, timeout = "30s")
        public void read(CountDownLatch inside, CountDownLatch leave) {
            inside.countDown();
            try {
                leave.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @FileLocked(name = "index", mode = LockMode.SHARED)
        public void readThenWrite() {
            writer.write();
        }

        @FileLocked(name = "index", mode = LockMode.SHARED)
        public List<LockMode> modesHeld() {
            return writer.registry().diagnostics().localHolds().stream().map(h -> h.mode()).toList();
        }
    }

    static class Writer {

        final FileLockRegistry registry;
        Index index;

        Writer(FileLockRegistry registry) {
            this.registry = registry;
        }

        public FileLockRegistry registry() {
            return registry;
        }

        @org.springframework.beans.factory.annotation.Autowired
        void setIndex(@org.springframework.context.annotation.Lazy Index index) {
            this.index = index;
        }

        @FileLocked(name = "index", timeout = "0", onTimeout = OnTimeout.SKIP)
        public Boolean write() {
            return true;
        }

        @FileLocked(name = "index")
        public List<LockMode> writeThenRead() {
            return index.modesHeld();
        }
    }
}
