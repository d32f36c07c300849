package io.github.filelock.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.FileLockTimeoutException;
import io.github.filelock.LockHolder;
import io.github.filelock.LockStatus;
import io.github.filelock.test.ChildJvm;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Timeouts and single tries through a registry, against a holder in another JVM whose holder record names it in the
 * timeout's message and in {@code inspect}; and that the waits the timeouts abandoned leave nothing behind.
 */
class TimeoutTest {

    @Test
    void timeoutsEndOnTimeAndNameTheHolder() throws Exception {
        try (FileLockRegistry registry = FileLockRegistry.builder(TestServer.backend(Duration.ofSeconds(5))).build();
             TestServer.Observer observer = TestServer.observer();
             ChildJvm child = ChildJvm.start(LockChild.class, ChildSettings.args("key=timeout-1"))) {
            child.awaitLine(Duration.ofSeconds(60), "READY");
            child.send("lock EXCLUSIVE");
            child.awaitLine(Duration.ofSeconds(30), "GRANTED");
            child.send("describe");
            child.awaitLine(Duration.ofSeconds(10), "DESCRIBED");
            String holderKey = RedisKeys.of(TestServer.PREFIX, "timeout-1").holder();
            awaitExists(observer, holderKey);

            assertThat(registry.tryAcquire("timeout-1")).as("a single try").isEmpty();
            for (long millis : List.of(100L, 300L, 1000L)) {
                long start = System.nanoTime();
                assertThatThrownBy(() -> registry.acquire("timeout-1", Duration.ofMillis(millis)))
                        .isInstanceOfSatisfying(FileLockTimeoutException.class, e -> {
                            assertThat(e.holderPid()).contains(child.pid());
                            assertThat(e.getMessage()).contains("pid " + child.pid()).contains("child-main");
                        });
                long tookMillis = (System.nanoTime() - start) / 1_000_000;
                System.out.println("redis: a timeout of " + millis + " ms ended after " + tookMillis + " ms");
                assertThat(tookMillis).isBetween(millis, millis + 1_000);
            }
            LockStatus status = registry.diagnostics().inspect("timeout-1");
            assertThat(status.toString()).contains(Long.toString(child.pid()));
            List<LockHolder> holders = ((RedisLockBackend) backendOf(registry)).holdersElsewhere("timeout-1");
            assertThat(holders).singleElement().satisfies(h -> {
                assertThat(h.pid()).isEqualTo(child.pid());
                assertThat(h.thread()).contains("child-main");
                assertThat(h.name()).contains("timeout-1");
            });

            child.send("unlock");
            child.awaitLine(Duration.ofSeconds(10), "UNLOCKED");
            assertThat(observer.exists(holderKey)).as("the holder removed its record").isFalse();
            // The abandoned waits may take the lock once on the way out; then nothing of theirs is left
            String lockKey = RedisKeys.of(TestServer.PREFIX, "timeout-1").lock();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (observer.exists(lockKey) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(observer.exists(lockKey)).isFalse();
            try (FileLockHold hold = registry.acquire("timeout-1", Duration.ofSeconds(5))) {
                assertThat(hold.isValid()).isTrue();
            }
            child.send("try EXCLUSIVE");
            assertThat(child.awaitLine(Duration.ofSeconds(10), "TRY")).isEqualTo("TRY true");
        }
    }

    private static Object backendOf(FileLockRegistry registry) throws Exception {
        var method = FileLockRegistry.class.getDeclaredMethod("backend");
        method.setAccessible(true);
        return method.invoke(registry);
    }

    private static void awaitExists(TestServer.Observer observer, String key) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!observer.exists(key) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(observer.exists(key)).as(key).isTrue();
    }
}
