package io.github.filelock.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.LockMode;
import io.github.filelock.spi.LockSlot;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;

/**
 * Redisson's locks are reentrant per owner (client id and thread id), and a backend's holds use made-up thread ids. Two
 * backends on one application RedissonClient (two registries, or two Spring contexts sharing a parent's client) share
 * the client id, so their owner ids must never meet: a repeated id would re-enter the other backend's write lock, or
 * take the read lock under it as a downgrade.
 */
class OwnerIdTest {

    @Test
    void twoBackendsOnOneClientExcludeEachOther() throws Exception {
        RedissonClient client = Redisson.create(TestServer.config());
        RedisSettings settings = RedisSettings.builder().prefix(TestServer.PREFIX).build();
        try (RedisLockBackend first = RedisLockBackend.open(client, settings);
             RedisLockBackend second = RedisLockBackend.open(client, settings);
             RedisLockBackend third = RedisLockBackend.open(client, settings);
             LockSlot holder = first.openSlot("owner-ids", () -> { });
             LockSlot writer = second.openSlot("owner-ids", () -> { });
             LockSlot reader = third.openSlot("owner-ids", () -> { })) {
            assertThat(holder.tryLock(LockMode.EXCLUSIVE)).isTrue();
            assertThat(writer.tryLock(LockMode.EXCLUSIVE)).as("another backend's writer is kept out").isFalse();
            assertThat(reader.tryLock(LockMode.SHARED)).as("another backend's reader is kept out").isFalse();
            holder.unlock();
            assertThat(writer.tryLock(LockMode.EXCLUSIVE)).isTrue();
            writer.unlock();
        } finally {
            client.shutdown();
        }
    }
}
