package io.github.filelock.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockMode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Redisson owns a lock per thread id; the engine takes locks on its wait threads and lets detached holds be closed on
 * any thread. With an owner id per hold instead, a hold taken on one thread is released from another.
 */
class DetachedHoldTest {

    @Test
    void anAsyncHoldIsReleasedFromAnotherThread() throws Exception {
        try (FileLockRegistry registry = FileLockRegistry.builder(TestServer.backend(Duration.ofSeconds(5))).build();
             RedisLockBackend other = TestServer.backend(Duration.ofSeconds(5));
             TestServer.Observer observer = TestServer.observer()) {
            for (LockMode mode : LockMode.values()) {
                FileLockHold hold = registry.acquireAsync("detached", mode).get(10, TimeUnit.SECONDS);
                assertThat(hold.isThreadBound()).isFalse();
                assertThat(other.isHeldElsewhere("detached")).isTrue();
                CompletableFuture.runAsync(hold::close).get(10, TimeUnit.SECONDS);
                assertThat(observer.exists(other.redisKey("detached"))).as(mode + " released").isFalse();
                assertThat(other.isHeldElsewhere("detached")).isFalse();
            }
        }
    }

    @Test
    void aRegistryHoldPublishesItsHolderForOtherClients() throws Exception {
        try (FileLockRegistry registry = FileLockRegistry.builder(TestServer.backend(Duration.ofSeconds(5))).build();
             RedisLockBackend other = TestServer.backend(Duration.ofSeconds(5))) {
            try (FileLockHold hold = registry.acquire("described")) {
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (other.holdersElsewhere("described").isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(other.holdersElsewhere("described")).singleElement().satisfies(h -> {
                    assertThat(h.pid()).isEqualTo(ProcessHandle.current().pid());
                    assertThat(h.thread()).contains(Thread.currentThread().getName());
                    assertThat(h.acquiredAt()).isEqualTo(hold.acquiredAt());
                });
            }
            assertThat(other.holdersElsewhere("described")).as("removed with the release").isEmpty();
        }
    }
}
