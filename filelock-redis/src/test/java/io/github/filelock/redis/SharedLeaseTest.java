package io.github.filelock.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.LockMode;
import io.github.filelock.spi.LockSlot;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A reader's lease is its own timeout key ({@code {<key>}:<field>:rwlock_timeout:1}), not the lock's hash: another
 * process's reader keeps renewing the hash while this one's lease runs out, and the next reader to leave then deletes
 * the hash and lets a writer in. The reader whose lease ended must learn it when its lease ends, not after a writer got
 * in.
 */
class SharedLeaseTest {

    private static final Duration LEASE = Duration.ofSeconds(3);

    @Test
    void aReaderWhoseOwnLeaseEndedIsLostThoughAnotherReaderKeepsTheKey() throws Exception {
        AtomicInteger losses = new AtomicInteger();
        try (RedisLockBackend first = TestServer.backend(LEASE);
             RedisLockBackend second = TestServer.backend(LEASE);
             LockSlot reader = first.openSlot("shared-lease", losses::incrementAndGet);
             LockSlot other = second.openSlot("shared-lease", () -> { });
             LockSlot writer = second.openSlot("shared-lease", () -> { });
             TestServer.Observer observer = TestServer.observer()) {
            assertThat(reader.tryLock(LockMode.SHARED)).isTrue();
            assertThat(other.tryLock(LockMode.SHARED)).isTrue();
            String key = first.redisKey("shared-lease");
            // The first reader's lease ends on the server, as when its JVM was frozen past it
            Object ended = observer.eval(key, "local n = 0; for _, f in ipairs(redis.call('hkeys', KEYS[1])) do "
                    + "if string.sub(f, 1, string.len(ARGV[1])) == ARGV[1] then "
                    + "n = n + redis.call('del', '{' .. KEYS[1] .. '}:' .. f .. ':rwlock_timeout:1') end end; "
                    + "return n", first.clientId() + ":");
            assertThat(ended).isEqualTo(1L);

            long deadline = System.nanoTime() + LEASE.toNanos() * 2;
            while (losses.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(losses).as("the reader learns its lease ended").hasValue(1);
            assertThat(reader.isValid()).isFalse();

            other.unlock(); // the last live reader leaves: Redisson deletes the hash
            assertThat(writer.tryLock(LockMode.EXCLUSIVE)).as("a writer gets in").isTrue();
            assertThat(reader.isValid()).isFalse();
            reader.unlock();
            assertThat(writer.isValid()).isTrue();
            assertThat(observer.eval(key, "return redis.call('hexists', KEYS[1], 'mode')")).isEqualTo(1L);
            writer.unlock();
            assertThat(losses).as("reported once").hasValue(1);
        }
    }
}
