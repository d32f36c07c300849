package io.github.filelock.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.LockHolder;
import io.github.filelock.LockMode;
import io.github.filelock.spi.LockSlot;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The holder record names whoever holds the lock now. A record written by a hold that has already lost its lock (its
 * key gone in a failover, then taken by another process) must not replace the new holder's record.
 */
class HolderRecordTest {

    private static final Duration LEASE = Duration.ofSeconds(5);

    @Test
    void aLostHoldsRecordNeverReplacesTheNewHoldersRecord() throws Exception {
        String name = "holder-record";
        try (RedisLockBackend first = TestServer.backend(LEASE);
             RedisLockBackend second = TestServer.backend(LEASE);
             RedisLockBackend third = TestServer.backend(LEASE);
             LockSlot late = first.openSlot(name, () -> { });
             LockSlot now = second.openSlot(name, () -> { });
             TestServer.Observer observer = TestServer.observer()) {
            assertThat(late.tryLock(LockMode.EXCLUSIVE)).isTrue();
            String lateField = (String) observer.eval(first.redisKey(name), "for _, f in ipairs(redis.call('hkeys',"
                    + " KEYS[1])) do if f ~= 'mode' then return f end end; return false");
            String lateOwner = lateField.substring(0, lateField.length() - ":write".length());
            observer.eval(first.redisKey(name), "return redis.call('del', KEYS[1])"); // lost in a failover
            assertThat(now.tryLock(LockMode.EXCLUSIVE)).isTrue();
            now.describeHolder(holder(2));
            awaitRecordOf(third, name, 2);

            // The lost hold's record, late (as describeHolder sends it, awaited here)
            first.records().write(RedisKeys.of(TestServer.PREFIX, name), lateOwner, holder(1), LEASE.toMillis())
                    .toCompletableFuture().join();
            assertThat(third.holdersElsewhere(name)).as("the record still names the holder")
                    .singleElement().extracting(LockHolder::pid).isEqualTo(2L);
            assertThatThrownBy(late::unlock).hasMessageContaining("lease had already ended");
            now.unlock();
            assertThat(observer.exists(first.holderKey(name))).isFalse();
        }
    }

    private static LockHolder holder(long pid) {
        return new LockHolder(pid, "host-" + pid, Optional.of("thread-" + pid), Optional.empty(), Instant.now());
    }

    private static void awaitRecordOf(RedisLockBackend reader, String name, long pid) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline
                && reader.holdersElsewhere(name).stream().noneMatch(h -> h.pid() == pid)) {
            Thread.sleep(10);
        }
        assertThat(reader.holdersElsewhere(name)).singleElement().extracting(LockHolder::pid).isEqualTo(pid);
    }
}
