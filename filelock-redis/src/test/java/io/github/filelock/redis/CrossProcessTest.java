package io.github.filelock.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.LockMode;
import io.github.filelock.spi.LockSlot;
import io.github.filelock.test.ChildJvm;
import io.github.filelock.test.internal.Background;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child JVMs against the real server: exclusion under contention, and a holder killed with SIGKILL. */
class CrossProcessTest {

    @TempDir
    Path dir;

    @Test
    void fourJvmsOfFourThreadsCountExactly() throws Exception {
        TestServer.config(); // skips here, not in the children, when there is no server
        Path counter = Files.writeString(dir.resolve("counter"), "0");
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                children.add(ChildJvm.start(CounterChild.class, ChildSettings.args("key=counter",
                        "file=" + counter, "threads=4", "increments=250")));
            }
            for (ChildJvm child : children) {
                child.awaitLine(Duration.ofMinutes(3), "DONE", "FAILED");
                assertThat(child.awaitExit(Duration.ofSeconds(60))).as(child.describe()).isZero();
            }
        } finally {
            children.forEach(ChildJvm::close);
        }
        assertThat(Files.readString(counter).trim()).isEqualTo(Integer.toString(4 * 4 * 250));
    }

    /**
     * Nothing on the server notices a dead holder: its lease runs out. With a lease of 3 s the waiter gets the lock
     * when the lease ends (at most 3 s after the last renewal, which came at most a third of it before the kill), and
     * sees it within the waiter's 250 ms look at the lock; the test prints how long it took.
     */
    @Test
    void aWaiterGetsTheLockOnceTheKilledHoldersLeaseRunsOut() throws Exception {
        Duration lease = Duration.ofSeconds(3);
        try (RedisLockBackend backend = TestServer.backend(lease);
             LockSlot waiter = backend.openSlot("kill-nine", () -> { });
             ChildJvm holder = ChildJvm.start(LockChild.class, ChildSettings.args("key=kill-nine",
                     "leaseMillis=" + lease.toMillis()))) {
            holder.awaitLine(Duration.ofSeconds(60), "READY");
            holder.send("lock EXCLUSIVE");
            holder.awaitLine(Duration.ofSeconds(30), "GRANTED");
            assertThat(waiter.tryLock(LockMode.EXCLUSIVE)).isFalse();
            CompletableFuture<Background.Result> grantedAt = Background.lock(waiter, LockMode.EXCLUSIVE);
            Thread.sleep(lease.toMillis() * 2); // the holder's watchdog keeps the lease past its first length
            assertThat(grantedAt).as("a live holder's lease is renewed").isNotDone();
            holder.close(); // SIGKILL, and waits until the process is gone
            long killedAt = System.nanoTime();
            Background.Result granted = grantedAt.get(lease.toMillis() + 5_000, TimeUnit.MILLISECONDS);
            assertThat(granted.granted()).isTrue();
            Duration took = Duration.ofNanos(granted.nanos() - killedAt);
            System.out.println("redis: a waiter got the lock " + took.toMillis() + " ms after its holder was killed"
                    + " (lease " + lease.toMillis() + " ms)");
            assertThat(took).as("the lease, and slack for a loaded machine").isLessThan(lease.plusSeconds(2));
            waiter.unlock();
        }
    }
}
