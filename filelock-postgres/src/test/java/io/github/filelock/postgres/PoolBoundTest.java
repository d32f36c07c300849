package io.github.filelock.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.LockMode;
import io.github.filelock.internal.ProcessIdentity;
import io.github.filelock.spi.LockSlot;
import io.github.filelock.test.internal.Background;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The backend never opens more than maxConnections lock sessions, as the server counts them. */
class PoolBoundTest {

    private static final String OURS = new HolderName(ProcessIdentity.PID, ProcessIdentity.HOST).applicationName();

    @Test
    void sixtyFourThreadsOnSixtyFourKeysStayWithinTheBound() throws Exception {
        int max = 4;
        AtomicInteger most = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        try (PostgresLockBackend backend = PostgresLockBackend.open(TestServer.settings().maxConnections(max).build());
             ServerView view = new ServerView()) {
            Thread counter = new Thread(() -> {
                try {
                    while (running.get()) {
                        most.accumulateAndGet(view.sessionsNamed(OURS), Math::max);
                        Thread.sleep(5);
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            });
            counter.start();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String key = "pool-" + i;
                Thread t = new Thread(() -> {
                    try {
                        for (int round = 0; round < 3; round++) {
                            try (LockSlot slot = backend.openSlot(key, () -> { })) {
                                assertThat(slot.lock(LockMode.EXCLUSIVE)).isTrue();
                                Thread.sleep(10);
                                slot.unlock();
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join(TimeUnit.MINUTES.toMillis(2));
            }
            running.set(false);
            counter.join();
            assertThat(failures).isEmpty();
            assertThat(backend.openSessions()).isLessThanOrEqualTo(max);
        }
        assertThat(most.get()).as("most lock sessions the server saw at once").isBetween(1, max);
    }

    @Test
    void atTheBoundATryFailsAndAWaitWaitsForASession() throws Exception {
        try (PostgresLockBackend backend = PostgresLockBackend.open(TestServer.settings().maxConnections(1).build());
             LockSlot first = backend.openSlot("bound-a", () -> { });
             LockSlot second = backend.openSlot("bound-b", () -> { })) {
            assertThat(first.tryLock(LockMode.EXCLUSIVE)).isTrue();
            assertThat(second.tryLock(LockMode.EXCLUSIVE)).as("no session left for another key").isFalse();

            CompletableFuture<Background.Result> abandoned = Background.lock(second, LockMode.EXCLUSIVE);
            second.abandon();
            assertThat(abandoned.get(30, TimeUnit.SECONDS).granted()).isFalse();

            CompletableFuture<Background.Result> waiting = Background.lock(second, LockMode.EXCLUSIVE);
            first.unlock();
            first.close(); // gives its session back, which the waiting slot takes
            assertThat(waiting.get(30, TimeUnit.SECONDS).granted()).isTrue();
            second.unlock();
        }
    }
}
