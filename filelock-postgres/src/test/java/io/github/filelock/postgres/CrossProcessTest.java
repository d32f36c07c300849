package io.github.filelock.postgres;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child JVMs against the real server: exclusion under contention, and a holder killed with SIGKILL. */
class CrossProcessTest {

    @TempDir
    Path dir;

    @Test
    void fourJvmsOfFourThreadsCountExactly() throws Exception {
        TestServer.settings(); // skips here, not in the children, when there is no server
        Path counter = Files.writeString(dir.resolve("counter"), "0");
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                children.add(ChildJvm.start(CounterChild.class, ChildSettings.args("key=counter",
                        "file=" + counter, "threads=4", "increments=250", "maxConnections=4")));
            }
            for (ChildJvm child : children) {
                child.awaitLine(Duration.ofMinutes(5), "DONE", "FAILED");
                assertThat(child.awaitExit(Duration.ofSeconds(60))).as(child.describe()).isZero();
            }
        } finally {
            children.forEach(ChildJvm::close);
        }
        assertThat(Files.readString(counter).trim()).isEqualTo(Integer.toString(4 * 4 * 250));
    }

    @Test
    void aWaiterGetsTheLockWithinTwoSecondsOfTheHolderBeingKilled() throws Exception {
        try (PostgresLockBackend backend = PostgresLockBackend.open(TestServer.settings().build());
             LockSlot waiter = backend.openSlot("kill-nine", () -> { });
             ChildJvm holder = ChildJvm.start(LockChild.class, ChildSettings.args("key=kill-nine"))) {
            holder.awaitLine(Duration.ofSeconds(60), "READY");
            holder.send("lock EXCLUSIVE");
            holder.awaitLine(Duration.ofSeconds(30), "GRANTED");
            assertThat(waiter.tryLock(LockMode.EXCLUSIVE)).isFalse();
            CompletableFuture<Background.Result> grantedAt = Background.lock(waiter, LockMode.EXCLUSIVE);
            try (ServerView view = new ServerView()) {
                AdvisoryKey key = AdvisoryKey.of(TestServer.NAMESPACE, "kill-nine");
                ServerView.await("the waiter queues", Duration.ofSeconds(30), () -> view.waiting(key).size() == 1);
            }
            assertThat(grantedAt).isNotDone();
            holder.close(); // SIGKILL, and waits until the process is gone
            long killedAt = System.nanoTime();
            Background.Result granted = grantedAt.get(2, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(granted.granted()).isTrue();
            assertThat(Duration.ofNanos(granted.nanos() - killedAt)).isLessThan(Duration.ofSeconds(2));
            waiter.unlock();
        }
    }
}
