package io.github.filelock.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockMode;
import io.github.filelock.spi.LockSlot;
import io.github.filelock.test.ChildJvm;
import io.github.filelock.test.internal.Background;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Leases really ended: the key deleted or expired on the server (a failover to a replica that never saw it), and a
 * holder JVM frozen with SIGSTOP past its lease so that its watchdog could not renew. Each time the holder must learn
 * it: {@code isValid()} false, {@code onLoss} once, and through a registry the engine's loss count (which is what
 * logs the ERROR and feeds {@code filelock.lost}).
 */
class LostLeaseTest {

    private static final Duration LEASE = Duration.ofSeconds(3);

    @Test
    void aDeletedKeyIsReportedLostThroughTheRegistry() throws Exception {
        try (FileLockRegistry registry = FileLockRegistry.builder(TestServer.backend(LEASE)).build();
             RedisLockBackend other = TestServer.backend(LEASE);
             TestServer.Observer observer = TestServer.observer()) {
            FileLockHold hold = registry.acquire("lost-del");
            assertThat(hold.isValid()).isTrue();
            observer.eval(other.redisKey("lost-del"), "return redis.call('del', KEYS[1])");
            awaitInvalid(hold);
            assertThat(registry.diagnostics().lostHolds()).isEqualTo(1);
            try (LockSlot slot = other.openSlot("lost-del", () -> { })) {
                assertThat(slot.tryLock(LockMode.EXCLUSIVE)).as("the lock is free for others").isTrue();
                hold.close(); // a lost hold's release must not free the new holder's lock
                assertThat(slot.isValid()).isTrue();
                assertThat(observer.exists(other.redisKey("lost-del"))).isTrue();
                slot.unlock();
            }
        }
    }

    @Test
    void anExpiredKeyIsReportedLostOnce() throws Exception {
        AtomicInteger losses = new AtomicInteger();
        try (RedisLockBackend backend = TestServer.backend(LEASE);
             LockSlot slot = backend.openSlot("lost-pexpire", losses::incrementAndGet);
             TestServer.Observer observer = TestServer.observer()) {
            assertThat(slot.tryLock(LockMode.SHARED)).isTrue();
            observer.eval(backend.redisKey("lost-pexpire"), "return redis.call('pexpire', KEYS[1], 1)");
            long deadline = System.nanoTime() + LEASE.toNanos() * 2;
            while (losses.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(losses).hasValue(1);
            assertThat(slot.isValid()).isFalse();
            Thread.sleep(LEASE.toMillis() / 2); // further checks do not report it again
            assertThat(losses).hasValue(1);
            slot.unlock();
            assertThat(slot.isValid()).as("nothing held is valid again").isTrue();
        }
    }

    @Test
    void aHolderFrozenPastItsLeaseLosesTheLockAndLearnsItWhenItResumes() throws Exception {
        try (RedisLockBackend backend = TestServer.backend(LEASE);
             LockSlot waiter = backend.openSlot("lost-sigstop", () -> { });
             ChildJvm holder = ChildJvm.start(LockChild.class, ChildSettings.args("key=lost-sigstop",
                     "leaseMillis=" + LEASE.toMillis()))) {
            holder.awaitLine(Duration.ofSeconds(60), "READY");
            holder.send("lock EXCLUSIVE");
            holder.awaitLine(Duration.ofSeconds(30), "GRANTED");
            CompletableFuture<Background.Result> granted = Background.lock(waiter, LockMode.EXCLUSIVE);
            Signals.stop(holder.pid());
            long stoppedAt = System.nanoTime();
            try {
                Background.Result result = granted.get(LEASE.toMillis() + 3_000, TimeUnit.MILLISECONDS);
                assertThat(result.granted()).isTrue();
                System.out.println("redis: a waiter got the lock " + (result.nanos() - stoppedAt) / 1_000_000
                        + " ms after its holder was frozen (lease " + LEASE.toMillis() + " ms)");
            } finally {
                Signals.resume(holder.pid());
            }
            holder.awaitLine(Duration.ofSeconds(LEASE.toSeconds() * 2), "LOST");
            holder.send("valid");
            assertThat(holder.awaitLine(Duration.ofSeconds(10), "VALID")).isEqualTo("VALID false");
            holder.send("unlock");
            holder.awaitLine(Duration.ofSeconds(10), "UNLOCKED", "UNLOCK-FAILED");
            assertThat(waiter.isValid()).as("the resumed holder's release leaves the new holder's lock").isTrue();
            holder.send("try EXCLUSIVE");
            assertThat(holder.awaitLine(Duration.ofSeconds(10), "TRY")).isEqualTo("TRY false");
            waiter.unlock();
        }
    }

    private static void awaitInvalid(FileLockHold hold) throws InterruptedException {
        long deadline = System.nanoTime() + LEASE.toNanos() * 2;
        while (hold.isValid() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(hold.isValid()).as("the hold knows it was lost").isFalse();
    }
}
