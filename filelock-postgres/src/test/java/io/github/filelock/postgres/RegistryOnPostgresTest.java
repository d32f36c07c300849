package io.github.filelock.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockInterruptedException;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.FileLockTimeoutException;
import io.github.filelock.LockMode;
import io.github.filelock.LockState;
import io.github.filelock.LockStatus;
import io.github.filelock.LockType;
import io.github.filelock.test.postgres.Psql;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine on the PostgreSQL backend, through {@link FileLockRegistry#builder(io.github.filelock.spi.LockBackend)}:
 * what the engine promises for every backend (the gate, reentrancy, hold counts, async holds, inspection, timeouts,
 * interrupts, lost holds) holds on a real server, with psql as the other process.
 */
class RegistryOnPostgresTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    private FileLockRegistry registry;
    private ServerView view;

    @BeforeEach
    void open() throws Exception {
        registry = FileLockRegistry.builder(PostgresLockBackend.open(
                TestServer.settings().keepalive(Duration.ofSeconds(1)).build())).build();
        view = new ServerView();
    }

    @AfterEach
    void close() throws Exception {
        registry.close();
        view.close();
    }

    private static AdvisoryKey key(String name) {
        return AdvisoryKey.of(TestServer.NAMESPACE, name);
    }

    private static String keySql(String name) {
        return String.format(AdvisoryKey.SQL, "'" + TestServer.NAMESPACE + "/" + name + "'");
    }

    /** A psql process holding {@code name} until closed; returns once the server shows it granted. */
    private Psql psqlHolding(String name) throws Exception {
        Psql psql = Psql.session();
        psql.send("SELECT pg_advisory_lock(" + keySql(name) + ");");
        ServerView.await("psql holds " + name, LONG, () -> view.granted(key(name)).size() == 1);
        return psql;
    }

    @Test
    void typeIsPostgresAndLockFilesAreRefusedByName() {
        assertThat(registry.type()).isEqualTo(LockType.POSTGRES);
        assertThatThrownBy(() -> registry.directory()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("postgres locks live in").hasMessageContaining("jdbc:postgresql:");
    }

    @Test
    void threadsOfOneJvmQueueInTheGateWithOneWaitOnTheServer() throws Exception {
        String name = "gate-1";
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        List<Future<?>> calls = new ArrayList<>();
        try {
            try (Psql psql = psqlHolding(name)) {
                for (int i = 0; i < threads; i++) {
                    calls.add(pool.submit(() -> {
                        try (FileLockHold hold = registry.acquire(name, LONG)) {
                            if (inside.incrementAndGet() > 1) {
                                overlaps.incrementAndGet();
                            }
                            Thread.sleep(2);
                            inside.decrementAndGet();
                        }
                        done.incrementAndGet();
                        return null;
                    }));
                }
                ServerView.await("16 threads wait", LONG, () -> registry.diagnostics().waiters().size() == threads);
                // the engine's one pending wait is queued on the server; the other 15 threads wait in the gate
                ServerView.await("one session queued", LONG, () -> view.waiting(key(name)).size() == 1);
                for (int i = 0; i < 20; i++) {
                    assertThat(view.waiting(key(name))).as("sessions queued on the server").hasSize(1);
                    Thread.sleep(10);
                }
                assertThat(done).hasValue(0);
            }
            for (Future<?> call : calls) {
                call.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(done).hasValue(threads);
        assertThat(overlaps).as("two threads inside at once").hasValue(0);
        assertThat(view.waiting(key(name))).isEmpty();
        assertThat(view.granted(key(name))).isEmpty();
    }

    @Test
    void waitsInBothModesTakeAtMostOneServerRequestPerMode() throws Exception {
        String name = "gate-2";
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> calls = new ArrayList<>();
        try {
            try (Psql psql = psqlHolding(name)) {
                for (int i = 0; i < 16; i++) {
                    LockMode mode = i % 2 == 0 ? LockMode.EXCLUSIVE : LockMode.SHARED;
                    calls.add(pool.submit(() -> {
                        try (FileLockHold hold = registry.acquire(name, mode, LONG)) {
                            Thread.sleep(1);
                        }
                        return null;
                    }));
                }
                ServerView.await("16 threads wait", LONG, () -> registry.diagnostics().waiters().size() == 16);
                // a thread counts as waiting before its mode's pending wait reaches the server
                ServerView.await("a session queued", LONG, () -> !view.waiting(key(name)).isEmpty());
                for (int i = 0; i < 20; i++) {
                    assertThat(view.waiting(key(name)).size()).as("sessions queued on the server").isBetween(1, 2);
                    Thread.sleep(10);
                }
            }
            for (Future<?> call : calls) {
                call.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(view.waiting(key(name))).isEmpty();
    }

    @Test
    void onlyHeldNamesPinSessionsSoManyNamesShareASmallPool() throws Exception {
        try (FileLockRegistry small = FileLockRegistry.builder(PostgresLockBackend.open(
                TestServer.settings().maxConnections(2).build())).build()) {
            for (int i = 0; i < 10; i++) { // the engine keeps each name's idle slot open
                try (FileLockHold hold = small.acquire("pool-" + i, Duration.ofSeconds(5))) {
                    assertThat(hold.isValid()).isTrue();
                }
            }
            try (Psql psql = psqlHolding("pool-busy")) {
                for (int i = 0; i < 5; i++) {
                    assertThat(small.tryAcquire("pool-busy")).isEmpty(); // a refused try pins nothing either
                }
                try (FileLockHold a = small.acquire("pool-a", Duration.ofSeconds(5));
                     FileLockHold b = small.acquire("pool-b", Duration.ofSeconds(5))) {
                    assertThat(view.granted(key("pool-a"))).hasSize(1);
                    assertThat(view.granted(key("pool-b"))).hasSize(1);
                }
            }
        }
    }

    @Test
    void reentrantHoldsShareOneServerLock() throws Exception {
        String name = "reentrant-1";
        try (FileLockHold outer = registry.acquire(name, LONG)) {
            try (FileLockHold inner = registry.acquire(name, LONG)) {
                assertThat(registry.holdCount(name)).isEqualTo(2);
                assertThat(registry.isHeldByCurrentThread(name)).isTrue();
                assertThat(view.granted(key(name))).hasSize(1);
            }
            assertThat(registry.holdCount(name)).isEqualTo(1);
            assertThat(view.granted(key(name))).as("the outer hold keeps the lock").hasSize(1);
            assertThat(Psql.run("SELECT pg_try_advisory_lock(" + keySql(name) + ")")).isEqualTo("f");
        }
        assertThat(registry.holdCount(name)).isZero();
        assertThat(view.granted(key(name))).isEmpty();
        assertThat(Psql.run("SELECT pg_try_advisory_lock(" + keySql(name) + ")")).isEqualTo("t");
    }

    @Test
    void asyncHoldWaitsForPsqlAndIsClosedOnAnotherThread() throws Exception {
        String name = "async-1";
        CompletableFuture<FileLockHold> future;
        try (Psql psql = psqlHolding(name)) {
            future = registry.acquireAsync(name, LockMode.EXCLUSIVE, LONG);
            ServerView.await("the async wait is queued on the server", LONG,
                    () -> view.waiting(key(name)).size() == 1);
            assertThat(future).isNotDone();
        }
        FileLockHold hold = future.get(30, TimeUnit.SECONDS);
        assertThat(hold.isValid()).isTrue();
        assertThat(view.granted(key(name))).hasSize(1);
        assertThat(registry.diagnostics().inspect(name).state()).isEqualTo(LockState.HELD_BY_THIS_PROCESS);
        CompletableFuture.runAsync(hold::close, Executors.newSingleThreadExecutor()).get(30, TimeUnit.SECONDS);
        ServerView.await("released", LONG, () -> view.granted(key(name)).isEmpty());
    }

    @Test
    void inspectionNamesPsqlAsTheHolderElsewhere() throws Exception {
        String name = "inspect-1";
        assertThat(registry.diagnostics().inspect(name).state()).isEqualTo(LockState.FREE);
        registry.acquire(name, LONG).close(); // keys are hashed on the server: a scan lists the keys this JVM used
        try (Psql psql = psqlHolding(name)) {
            int psqlPid = view.granted(key(name)).get(0);
            LockStatus status = registry.diagnostics().inspect(name);
            assertThat(status.state()).isEqualTo(LockState.HELD_BY_OTHER_PROCESS);
            assertThat(status.holder()).hasValueSatisfying(holder -> {
                assertThat(holder.pid()).isEqualTo(psqlPid);
                assertThat(holder.thread().orElseThrow()).contains(Psql.APPLICATION_NAME);
            });
            assertThat(registry.diagnostics().scan()).filteredOn(s -> s.name().equals(name)).singleElement()
                    .satisfies(s -> assertThat(s.state()).isEqualTo(LockState.HELD_BY_OTHER_PROCESS));
        }
    }

    @Test
    void timeoutAgainstPsqlWaitsItsTimeAndNamesPsql() throws Exception {
        String name = "timeout-1";
        try (Psql psql = psqlHolding(name)) {
            int psqlPid = view.granted(key(name)).get(0);
            // the holder lookup's connection is open: the timing below is the wait's
            registry.diagnostics().inspect(name);
            long start = System.nanoTime();
            AtomicReference<FileLockTimeoutException> thrown = new AtomicReference<>();
            try {
                registry.acquire(name, Duration.ofMillis(300)).close();
            } catch (FileLockTimeoutException e) {
                thrown.set(e);
            }
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(thrown.get()).as("acquire timed out").isNotNull();
            assertThat(elapsedMillis).as("never before the timeout").isGreaterThanOrEqualTo(300);
            // loose on purpose: a loaded 2-core machine; it is a bound on a stuck wait, not a speed figure
            assertThat(elapsedMillis).as("within a second of the timeout").isLessThan(1300);
            assertThat(thrown.get().getMessage()).contains("'" + name + "'", "pid " + psqlPid,
                    Psql.APPLICATION_NAME);
            assertThat(thrown.get().getMessage()).doesNotContain("null");
            assertThat(thrown.get().holderPid()).hasValue((long) psqlPid);
            ServerView.await("nothing left queued", LONG, () -> view.waiting(key(name)).isEmpty());
        }
    }

    @Test
    void interruptEndsTheWaitPromptlyKeepsTheStatusAndLeavesNothingQueued() throws Exception {
        String name = "interrupt-1";
        try (Psql psql = psqlHolding(name)) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicBoolean stillInterrupted = new AtomicBoolean();
            CountDownLatch ended = new CountDownLatch(1);
            Thread waiter = new Thread(() -> {
                try {
                    registry.acquire(name, LONG).close();
                } catch (Throwable e) {
                    thrown.set(e);
                    stillInterrupted.set(Thread.currentThread().isInterrupted());
                }
                ended.countDown();
            }, "interrupted-waiter");
            waiter.start();
            ServerView.await("the wait is queued on the server", LONG, () -> view.waiting(key(name)).size() == 1);
            long start = System.nanoTime();
            waiter.interrupt();
            assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(thrown.get()).isInstanceOf(FileLockInterruptedException.class);
            assertThat(stillInterrupted).as("interrupt status kept").isTrue();
            assertThat(millis).as("prompt").isLessThan(2000);
            assertThat(registry.diagnostics().waiters()).isEmpty();
            ServerView.await("the server's queue is empty", Duration.ofSeconds(10),
                    () -> view.waiting(key(name)).isEmpty());
            assertThat(view.granted(key(name))).as("psql still holds it").hasSize(1);
        }
        ServerView.await("psql gone", LONG, () -> view.granted(key(name)).isEmpty());
        assertThat(view.granted(key(name))).as("nobody was granted the lock for the interrupted call").isEmpty();
    }

    @Test
    void terminatedHolderSessionMakesTheHoldInvalidAndCountsALoss() throws Exception {
        String name = "lost-engine-1";
        try (FileLockHold hold = registry.acquire(name, LONG)) {
            assertThat(hold.isValid()).isTrue();
            assertThat(registry.diagnostics().lostHolds()).isZero();
            List<Integer> holder = view.granted(key(name));
            assertThat(holder).hasSize(1);

            view.terminate(holder.get(0));

            // keepalive 1s: the backend declares the loss within 2 x keepalive; the margin is for a loaded machine
            ServerView.await("the hold is found lost", Duration.ofSeconds(10), () -> !hold.isValid());
            assertThat(registry.diagnostics().lostHolds()).isEqualTo(1);
            assertThat(hold.isOpen()).as("still open until its owner closes it").isTrue();
        }
        // the lock went with the session: another session takes it, and so does a new acquire afterwards
        assertThat(Psql.run("SELECT pg_try_advisory_lock(" + keySql(name) + ")")).isEqualTo("t");
        try (FileLockHold again = registry.acquire(name, LONG)) {
            assertThat(again.isValid()).isTrue();
        }
        assertThat(registry.diagnostics().lostHolds()).isEqualTo(1);
    }
}
