package io.github.filelock.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.LockMode;
import io.github.filelock.spi.LockSlot;
import io.github.filelock.test.ChildJvm;
import io.github.filelock.test.internal.Background;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** SHARED is the read lock and EXCLUSIVE the write lock of one Redisson read/write lock, across JVMs. */
class SharedModeTest {

    @Test
    void readersShareAndWritersWaitForAllOfThem() throws Exception {
        try (RedisLockBackend backend = TestServer.backend(Duration.ofSeconds(5));
             LockSlot reader = backend.openSlot("shared-1", () -> { });
             LockSlot writer = backend.openSlot("shared-1", () -> { });
             ChildJvm child = ChildJvm.start(LockChild.class, ChildSettings.args("key=shared-1"))) {
            child.awaitLine(Duration.ofSeconds(60), "READY");
            child.send("lock SHARED");
            child.awaitLine(Duration.ofSeconds(30), "GRANTED");
            assertThat(backend.isHeldElsewhere("shared-1")).isTrue();

            assertThat(reader.tryLock(LockMode.SHARED)).as("readers share").isTrue();
            assertThat(writer.tryLock(LockMode.EXCLUSIVE)).as("a writer is kept out by readers").isFalse();
            CompletableFuture<Background.Result> written = Background.lock(writer, LockMode.EXCLUSIVE);
            reader.unlock();
            Thread.sleep(300);
            assertThat(written).as("one reader is still in").isNotDone();
            child.send("unlock");
            child.awaitLine(Duration.ofSeconds(10), "UNLOCKED");
            assertThat(written.get(10, TimeUnit.SECONDS).granted()).isTrue();

            child.send("try SHARED");
            assertThat(child.awaitLine(Duration.ofSeconds(10), "TRY")).as("a writer keeps readers out")
                    .isEqualTo("TRY false");
            child.send("try EXCLUSIVE");
            assertThat(child.awaitLine(Duration.ofSeconds(10), "TRY")).isEqualTo("TRY false");
            writer.unlock();
            child.send("try SHARED");
            assertThat(child.awaitLine(Duration.ofSeconds(10), "TRY")).isEqualTo("TRY true");
            child.send("unlock");
            child.awaitLine(Duration.ofSeconds(10), "UNLOCKED");
        }
    }
}
