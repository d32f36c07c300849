package io.github.filelock.spring.aop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.listener.FileLockRequest;
import io.github.filelock.spring.support.LockRecorder;
import io.github.filelock.spring.support.Runners;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What a key turns into: one lock per distinct (name, key) pair, readable as {@code doc:42}, and a call refused
 * when its key has no stable text (an object without its own toString, an array), which would otherwise give
 * every call a lock of its own.
 */
class LockKeyTests {

    @TempDir
    Path tmp;

    private ApplicationContextRunner runner() {
        return Runners.withLockDir(tmp).withUserConfiguration(Beans.class);
    }

    @Test
    void distinctNameAndKeyPairsNeverShareALock() {
        runner().run(context -> {
            Keys keys = context.getBean(Keys.class);
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            // name "doc:a" with key "b" is held by another thread...
            CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> keys.holdDocA("b", holding, release));
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
            try {
                // ...and name "doc" with key "a:b" is another lock: one attempt gets it at once.
                assertThat(keys.doc("a:b")).isEqualTo("ran");
            } finally {
                release.countDown();
                holder.get(30, TimeUnit.SECONDS);
            }
            assertThat(keys.doc("42")).isEqualTo("ran");
            assertThat(context.getBean(LockRecorder.class).requests).extracting(FileLockRequest::lockName)
                    .as("a key without ':' or '%' reads as before").contains("doc:42");
        });
    }

    @Test
    void aKeyWithoutItsOwnToStringFailsTheCallAndSaysWhatToUse() {
        runner().run(context -> {
            Keys keys = context.getBean(Keys.class);
            assertThatIllegalArgumentException().isThrownBy(() -> keys.anything(new Entity(7)))
                    .withMessageContaining("key '#value'").withMessageContaining(Entity.class.getName())
                    .withMessageContaining("no toString of its own")
                    .withMessageContaining("#value.id");
            assertThatIllegalArgumentException().isThrownBy(() -> keys.anything(new long[] {1, 2}))
                    .withMessageContaining("key '#value'").withMessageContaining("long[]");
            assertThat(keys.calls()).isZero();
            assertThat(keys.anything(new Record(7))).as("a record has a toString of its own").isEqualTo("ran");
        });
    }

    /** An entity as JPA maps them: identity by field, no toString. */
    static class Entity {
        final long id;

        Entity(long id) {
            this.id = id;
        }

        public long getId() {
            return id;
        }
    }

    record Record(long id) {
    }

    static class Keys {
        private final AtomicInteger calls = new AtomicInteger();

        @FileLocked(name = "doc:a", key = "#id", timeout = "0")
        public void holdDocA(String id, CountDownLatch holding, CountDownLatch release) {
            holding.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @FileLocked(name = "doc", key = "#id", timeout = "0")
        public String doc(String id) {
            return "ran";
        }

        @FileLocked(name = "any", key = "#value", timeout = "0")
        public String anything(Object value) {
            calls.incrementAndGet();
            return "ran";
        }

        public int calls() {
            return calls.get();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Beans {
        @Bean
        Keys keys() {
            return new Keys();
        }

        @Bean
        LockRecorder lockRecorder() {
            return new LockRecorder();
        }
    }
}
