package io.github.filelock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Async callers wait without a thread of their own: they queue in the same fair gate as threads and follow the
 * one kernel wait of a name, and completing their future in any way (cancel, orTimeout) ends their wait.
 */
class AsyncWaitingTest extends RegistryWithProcesses {

    @Test
    void tenThousandAsyncWaitersAddOneThreadAndAllEndCleanly() throws Exception {
        warmUpTheLibrarysSharedThreads();
        Process holder = holdInAnotherProcess("job");
        Set<Thread> before = liveThreads();

        int callers = 10_000;
        List<CompletableFuture<FileLockHold>> futures = new ArrayList<>();
        List<CompletableFuture<Boolean>> outcomes = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            CompletableFuture<FileLockHold> f = locks.acquireAsync("job", LockMode.EXCLUSIVE, Duration.ofMinutes(2));
            futures.add(f);
            // Every hold that arrives is closed at once, so the next waiter's turn comes.
            outcomes.add(f.handle((hold, error) -> {
                if (hold != null) {
                    hold.close();
                }
                return hold != null;
            }));
        }
        awaitWaiters(callers);
        assertAtMostOneThreadAddedSince(before, callers + " waiting callers");

        // Give up some waits early, in the ways a caller can: cancel, orTimeout.
        for (int i = 0; i < callers; i += 10) {
            futures.get(i).cancel(true);
            futures.get(i + 1).orTimeout(1, TimeUnit.MILLISECONDS);
        }
        for (int i = 0; i < callers; i += 10) {
            CompletableFuture<FileLockHold> timedOut = futures.get(i + 1);
            assertThatThrownBy(() -> timedOut.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutException.class);
        }
        assertThat(locks.diagnostics().waiters()).as("an early completion ends the wait")
                .hasSize(callers - callers / 5);

        holder.getOutputStream().close(); // the other process lets go
        CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        for (int i = 0; i < callers; i++) {
            boolean early = i % 10 < 2;
            assertThat(outcomes.get(i).join()).as("caller %s got the lock", i).isEqualTo(!early);
            if (i % 10 == 0) {
                assertThatThrownBy(futures.get(i)::join).isInstanceOf(CancellationException.class);
            }
        }
        assertThat(locks.diagnostics().waiters()).isEmpty();
        assertThat(locks.diagnostics().localHolds()).isEmpty();
        assertThat(run("flock", "-n", locks.diagnostics().lockFile("job").toString(), "true")).as("the name is free")
                .isZero();
    }

    @Test
    void asyncReadersFollowTheOneKernelWaitAndGetInTogether() throws Exception {
        warmUpTheLibrarysSharedThreads();
        Process writer = holdInAnotherProcess("index");
        Set<Thread> before = liveThreads();
        int readers = 2_000;
        List<CompletableFuture<FileLockHold>> futures = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
            futures.add(locks.acquireAsync("index", LockMode.SHARED, Duration.ofMinutes(2)));
        }
        awaitWaiters(readers);
        assertAtMostOneThreadAddedSince(before, readers + " waiting readers");

        writer.getOutputStream().close();
        List<FileLockHold> holds = new ArrayList<>();
        for (CompletableFuture<FileLockHold> f : futures) {
            holds.add(f.get(60, TimeUnit.SECONDS)); // all inside at once: nobody has closed yet
        }
        assertThat(run("flock", "-n", "-s", locks.diagnostics().lockFile("index").toString(), "true")).isZero();
        assertThat(run("flock", "-n", "-x", locks.diagnostics().lockFile("index").toString(), "true")).isEqualTo(1);
        holds.forEach(FileLockHold::close);
        assertThat(run("flock", "-n", "-x", locks.diagnostics().lockFile("index").toString(), "true")).isZero();
    }

    @Test
    void asyncAndSyncCallersAreServedInCallOrder() throws Exception {
        WaitingTest.Holder holder = WaitingTest.Holder.hold(locks, "fair", "holder");
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<?>> done = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int id = i;
            if (i % 10 == 5) {
                // A thread among the async callers queues in the same gate.
                CompletableFuture<Void> threadDone = new CompletableFuture<>();
                Thread t = new Thread(() -> {
                    try (FileLockHold hold = locks.acquire("fair", Duration.ofSeconds(60))) {
                        order.add(id);
                    }
                    threadDone.complete(null);
                });
                t.start();
                done.add(threadDone);
                awaitWaiters(i + 1);
                WaitingTest.awaitParked(t);
            } else {
                done.add(locks.acquireAsync("fair", LockMode.EXCLUSIVE, Duration.ofSeconds(60)).thenAccept(hold -> {
                    order.add(id);
                    hold.close();
                }));
                awaitWaiters(i + 1);
            }
        }
        holder.release();
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            expected.add(i);
        }
        assertThat(order).isEqualTo(expected);
    }

    @Test
    void orTimeoutEndsTheWaitInTheGateAndTheNextWaiterGetsTheLock() throws Exception {
        WaitingTest.Holder holder = WaitingTest.Holder.hold(locks, "x", "holder");
        CompletableFuture<FileLockHold> impatient = locks.acquireAsync("x", LockMode.EXCLUSIVE, Duration.ofMinutes(5))
                .orTimeout(100, TimeUnit.MILLISECONDS);
        CompletableFuture<FileLockHold> next = locks.acquireAsync("x", LockMode.EXCLUSIVE, Duration.ofMinutes(5));
        assertThatThrownBy(() -> impatient.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutException.class);
        awaitWaiters(1);
        assertThat(locks.diagnostics().waiters()).as("only the patient one still waits").hasSize(1);

        holder.release();
        FileLockHold hold = next.get(10, TimeUnit.SECONDS);
        assertThat(run("flock", "-n", locks.diagnostics().lockFile("x").toString(), "true")).isEqualTo(1);
        hold.close();
        assertThat(locks.diagnostics().localHolds()).isEmpty();
        assertThat(run("flock", "-n", locks.diagnostics().lockFile("x").toString(), "true")).isZero();
    }

    // The library's JVM-wide threads (the async step and timer thread, deliveries) exist once, whatever the load.
    private void warmUpTheLibrarysSharedThreads() throws Exception {
        Process holder = holdInAnotherProcess("warm-up");
        assertThatThrownBy(() -> locks.acquireAsync("warm-up", LockMode.EXCLUSIVE, Duration.ofMillis(50))
                .get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(FileLockTimeoutException.class);
        CompletableFuture<FileLockHold> later = locks.acquireAsync("warm-up", LockMode.EXCLUSIVE,
                Duration.ofSeconds(30));
        holder.getOutputStream().close();
        later.get(30, TimeUnit.SECONDS).close();
    }

    private Process holdInAnotherProcess(String name) throws Exception {
        Path file = locks.diagnostics().lockFile(name);
        locks.tryAcquire(name).orElseThrow().close(); // create it with our permissions
        Process flock = start("flock", "-x", file.toString(), "-c", "echo HELD; read -r line");
        assertThat(flock.inputReader().readLine()).isEqualTo("HELD");
        return flock;
    }

    private static Set<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet();
    }

    // Async callers wait without a thread of their own: however many wait, at most one thread is added.
    private static void assertAtMostOneThreadAddedSince(Set<Thread> before, String waiting) {
        Set<Thread> added = new HashSet<>(liveThreads());
        added.removeAll(before);
        assertThat(added).as("threads added by %s", waiting).hasSizeLessThanOrEqualTo(1);
    }

    private void awaitWaiters(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (locks.diagnostics().waiters().size() < count) {
            assertThat(System.nanoTime()).as("%s waiters registered in time", count).isLessThan(deadline);
            Thread.sleep(2);
        }
    }
}
