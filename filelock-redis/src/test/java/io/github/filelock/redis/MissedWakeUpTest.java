package io.github.filelock.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.LockMode;
import io.github.filelock.spi.LockSlot;
import io.github.filelock.test.internal.Background;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A waiter that never hears the release message. Redisson wakes an async waiter of a write lock's release only
 * through listeners that are registered when the message arrives; one registered just after misses it and sleeps
 * until the lock's TTL would have ended (the lease, 30 s by default). Here the release is a DEL from another
 * connection, which sends no message at all, under a lease of 20 s: the waiter must still get the lock within its
 * 250 ms look at the lock (2 s allowed on a loaded machine), because it looks at the lock itself when the message is
 * late.
 */
class MissedWakeUpTest {

    @Test
    void aWaiterWhoseReleaseMessageIsLostStillGetsTheLockSoon() throws Exception {
        Duration lease = Duration.ofSeconds(20);
        try (RedisLockBackend holderSide = TestServer.backend(lease);
             RedisLockBackend waiterSide = TestServer.backend(lease);
             LockSlot holder = holderSide.openSlot("missed-wake-up", () -> { });
             LockSlot waiter = waiterSide.openSlot("missed-wake-up", () -> { });
             TestServer.Observer observer = TestServer.observer()) {
            for (LockMode mode : LockMode.values()) {
                assertThat(holder.tryLock(LockMode.EXCLUSIVE)).isTrue();
                CompletableFuture<Background.Result> granted = Background.lock(waiter, mode);
                Thread.sleep(300); // the waiter has subscribed and waits for the message
                assertThat(granted).isNotDone();
                observer.eval(holderSide.redisKey("missed-wake-up"), "return redis.call('del', KEYS[1])");
                long releasedAt = System.nanoTime();
                Background.Result result = granted.get(10, TimeUnit.SECONDS);
                assertThat(result.granted()).isTrue();
                assertThat(Duration.ofNanos(result.nanos() - releasedAt)).as(mode.toString())
                        .isLessThan(Duration.ofSeconds(2));
                waiter.unlock();
                assertThatThrownBy(holder::unlock).as("its hold was deleted, which its release reports")
                        .hasMessageContaining("lease had already ended");
            }
        }
    }
}
