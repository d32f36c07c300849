package io.github.filelock.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.LockMode;
import io.github.filelock.spi.LockSlot;
import io.github.filelock.test.internal.Background;
import io.github.filelock.test.internal.BlackHoleProxy;
import io.github.filelock.test.redis.RedisTestServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.redisson.config.Config;

/**
 * A holder cut off from Redis by a network that drops every packet (a proxy of the test's own), for longer than its
 * lease: its watchdog cannot renew, the lease ends on the server and another client takes the lock. By then the
 * holder's {@code isValid()} must already be false (its bound is the TTL it last read, counted from before it
 * asked), and it reports the loss once its checks keep failing past that bound.
 */
class PartitionTest {

    private static final Duration LEASE = Duration.ofSeconds(3);

    @Test
    void aHolderCutOffPastItsLeaseIsInvalidBeforeAnotherGetsTheLock() throws Exception {
        RedisTestServer server = RedisTestServer.get();
        AtomicInteger losses = new AtomicInteger();
        try (BlackHoleProxy proxy = new BlackHoleProxy(server.host(), server.port());
             RedisLockBackend cutOff = RedisLockBackend.open(proxied(proxy),
                     RedisSettings.builder().prefix(TestServer.PREFIX).lease(LEASE).build());
             RedisLockBackend other = TestServer.backend(LEASE);
             LockSlot holder = cutOff.openSlot("partition", losses::incrementAndGet);
             LockSlot waiter = other.openSlot("partition", () -> { })) {
            assertThat(holder.tryLock(LockMode.EXCLUSIVE)).isTrue();
            Thread.sleep(LEASE.toMillis()); // renewed at least twice: the lease outlives its first length
            assertThat(holder.isValid()).isTrue();
            CompletableFuture<Background.Result> granted = Background.lock(waiter, LockMode.EXCLUSIVE);
            proxy.blackHole();
            long cutAt = System.nanoTime();
            Background.Result result = granted.get(LEASE.toMillis() + 5_000, TimeUnit.MILLISECONDS);
            assertThat(result.granted()).isTrue();
            assertThat(holder.isValid()).as("invalid by the time another holds the lock").isFalse();
            System.out.println("redis: another client got the lock " + (result.nanos() - cutAt) / 1_000_000
                    + " ms after the holder was cut off (lease " + LEASE.toMillis() + " ms)");
            long deadline = System.nanoTime() + LEASE.toNanos() * 2;
            while (losses.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(losses).as("the loss is reported once").hasValue(1);
            waiter.unlock();
        }
    }

    private static Config proxied(BlackHoleProxy proxy) {
        Config config = TestServer.config("redis://127.0.0.1:" + proxy.port());
        // Fail a check in half a second rather than after Redisson's retries
        config.useSingleServer().setTimeout(500).setRetryAttempts(0);
        return config;
    }
}
