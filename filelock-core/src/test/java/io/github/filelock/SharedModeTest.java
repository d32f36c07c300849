package io.github.filelock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Read/write locks: many readers, one writer, in this JVM and against flock(1) -s / -x. */
class SharedModeTest extends RegistryWithProcesses {

    @Test
    void readersShareAndAWriterWaitsForAllOfThem() throws Exception {
        // Its own threads: the readers block while they hold. On 2 cores the common pool has one thread; JDK 17's
        // CompletableFuture then gave each task a thread of its own, JDK 25's uses that one thread, so the
        // second reader never ran.
        ExecutorService threads = Executors.newCachedThreadPool();
        try {
            readersShareAndAWriterWaitsForAllOfThem(threads);
        } finally {
            threads.shutdownNow();
        }
    }

    private void readersShareAndAWriterWaitsForAllOfThem(ExecutorService threads) throws Exception {
        CountDownLatch bothIn = new CountDownLatch(2);
        CountDownLatch letGo = new CountDownLatch(1);
        List<CompletableFuture<Void>> readers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            readers.add(CompletableFuture.runAsync(() -> {
                try (FileLockHold hold = locks.acquireShared("index", Duration.ofSeconds(5))) {
                    assertThat(hold.mode()).isEqualTo(LockMode.SHARED);
                    bothIn.countDown();
                    letGo.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, threads));
        }
        assertThat(bothIn.await(10, TimeUnit.SECONDS)).as("two readers inside at once").isTrue();
        assertThat(CompletableFuture.supplyAsync(() -> locks.tryAcquire("index").isPresent(), threads).get())
                .isFalse();
        assertThat(CompletableFuture.supplyAsync(() -> locks.tryAcquire("index", LockMode.SHARED)
                .map(h -> { h.close(); return true; }).orElse(false), threads).get())
                .as("a third reader gets in").isTrue();
        letGo.countDown();
        CompletableFuture.allOf(readers.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(locks.tryAcquire("index")).hasValueSatisfying(FileLockHold::close);
    }

    @Test
    void sharedAndExclusiveInteroperateWithFlockOne() throws Exception {
        Path file = locks.diagnostics().lockFile("index");
        try (FileLockHold hold = locks.acquireShared("index", Duration.ZERO)) {
            assertThat(run("flock", "-n", "-s", file.toString(), "true")).as("flock -s shares").isZero();
            assertThat(run("flock", "-n", "-x", file.toString(), "true")).as("flock -x is excluded").isEqualTo(1);
        }
        Process reader = start("flock", "-s", file.toString(), "-c", "echo HELD; sleep 1.5; echo DONE");
        var readerOutput = reader.inputReader();
        assertThat(readerOutput.readLine()).isEqualTo("HELD");
        locks.acquireShared("index", Duration.ZERO).close();
        assertThat(locks.tryAcquire("index")).as("a flock -s reader excludes our writer").isEmpty();
        try (FileLockHold writer = locks.acquire("index", Duration.ofSeconds(10))) {
            // The reader prints DONE before it lets go, so it must be readable once the writer is in.
            assertThat(readerOutput.ready() || reader.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(readerOutput.readLine()).as("the writer got in only after the reader finished")
                    .isEqualTo("DONE");
        }
    }

    @Test
    void aWriterThatGaveUpLeavesNoKernelWaitThatKeepsOurReadersOut() throws Exception {
        Path file = locks.diagnostics().lockFile("index");
        locks.acquireShared("index", Duration.ZERO).close(); // create it with our permissions
        Process outsideReader = start("flock", "-s", file.toString(), "-c", "echo HELD; read -r line");
        assertThat(outsideReader.inputReader().readLine()).isEqualTo("HELD");

        assertThatThrownBy(() -> locks.acquire("index", Duration.ofMillis(200)))
                .isInstanceOf(FileLockTimeoutException.class);
        // The writer's flock(LOCK_EX) may still be blocked in the kernel, but nobody here wants it any more:
        // a reader here must get in at once beside the outside reader, not wait until it leaves.
        try (FileLockHold reader = locks.acquireShared("index", Duration.ofSeconds(5))) {
            assertThat(outsideReader.isAlive()).as("beside the outside reader").isTrue();
            assertThat(run("flock", "-n", "-x", file.toString(), "true")).as("a writer is still excluded")
                    .isEqualTo(1);
        }
        outsideReader.getOutputStream().close(); // its `read` ends, and so does its lock
        assertThat(outsideReader.waitFor(10, TimeUnit.SECONDS)).isTrue();
        try (FileLockHold writer = locks.acquire("index", Duration.ofSeconds(10))) {
            assertThat(run("flock", "-n", "-s", file.toString(), "true")).as("the writer excludes readers")
                    .isEqualTo(1);
        }
        assertThat(run("flock", "-w", "5", file.toString(), "true")).as("and nothing is left held").isZero();
    }

    @Test
    void alternatingTimedTriesWhileAnotherProcessHoldsKeepAtMostOneKernelWaitPerMode() throws Exception {
        Path file = locks.diagnostics().lockFile("job");
        locks.tryAcquire("job").orElseThrow().close(); // create it with our permissions
        Process holder = start("flock", "-x", file.toString(), "-c", "echo HELD; read -r line");
        assertThat(holder.inputReader().readLine()).isEqualTo("HELD");
        int fds = openDescriptors();
        long waitThreads = waitThreads();

        // A health probe (SHARED) and a job (EXCLUSIVE) polling while another process holds the name: each timed
        // try leaves a kernel wait behind, but there is at most one per mode, not one per try.
        for (int i = 0; i < 100; i++) {
            LockMode mode = i % 2 == 0 ? LockMode.EXCLUSIVE : LockMode.SHARED;
            assertThat(locks.tryAcquire("job", mode, Duration.ofMillis(5))).as("try %d", i).isEmpty();
        }
        assertThat(openDescriptors() - fds).as("descriptors added by 100 alternating timed tries")
                .isLessThanOrEqualTo(2);
        assertThat(waitThreads() - waitThreads).as("filelock-wait threads added by 100 alternating timed tries")
                .isLessThanOrEqualTo(2);

        holder.getOutputStream().close(); // its `read` ends, and so does its lock
        assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();
        // Our leftover kernel waits are granted with nobody counting on them: they let go at once.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (run("flock", "-n", "-x", file.toString(), "true") != 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(run("flock", "-n", "-x", file.toString(), "true")).as("the name is free").isZero();
        try (FileLockHold writer = locks.acquire("job", Duration.ofSeconds(5))) {
            assertThat(run("flock", "-n", "-s", file.toString(), "true")).as("the writer excludes readers")
                    .isEqualTo(1);
        }
        try (FileLockHold reader = locks.acquireShared("job", Duration.ofSeconds(5))) {
            assertThat(run("flock", "-n", "-s", file.toString(), "true")).as("a reader shares").isZero();
            assertThat(run("flock", "-n", "-x", file.toString(), "true")).as("and excludes writers").isEqualTo(1);
        }
        assertThat(run("flock", "-n", "-x", file.toString(), "true")).as("and nothing is left held").isZero();
        assertThat(openDescriptors()).as("the waits' descriptors are closed").isLessThanOrEqualTo(fds);
    }

    private static int openDescriptors() {
        String[] fds = new java.io.File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    private static long waitThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("filelock-wait-")).count();
    }

    @Test
    void aQueuedWriterIsNotStarvedByAStreamOfReaders() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    try (FileLockHold hold = locks.acquireShared("index", Duration.ofSeconds(30))) {
                        reads.incrementAndGet();
                        Thread.onSpinWait();
                    }
                }
            });
            t.start();
            readers.add(t);
        }
        while (reads.get() < 1000) {
            Thread.sleep(1);
        }
        try (FileLockHold writer = locks.acquire("index", Duration.ofSeconds(20))) {
            assertThat(writer.mode()).isEqualTo(LockMode.EXCLUSIVE);
        } finally {
            stop.set(true);
            for (Thread t : readers) {
                t.join(10_000);
            }
        }
    }

    @Test
    void upgradingIsRefusedAndSharedInsideExclusiveIsANestedHold() {
        try (FileLockHold read = locks.acquireShared("index", Duration.ZERO)) {
            assertThatThrownBy(() -> locks.acquire("index", Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("upgrading is not supported");
            assertThat(locks.holdCount("index")).isEqualTo(1);
        }
        try (FileLockHold write = locks.acquire("index", Duration.ZERO);
                FileLockHold nested = locks.acquireShared("index", Duration.ZERO)) {
            assertThat(nested.mode()).isEqualTo(LockMode.EXCLUSIVE);
            assertThat(locks.holdCount("index")).isEqualTo(2);
        }
        assertThat(locks.holdCount("index")).isZero();
    }

    @Test
    void asyncHoldsAreClosedByAnyThreadAndCanBeCancelled() throws Exception {
        FileLockHold hold = locks.acquireAsync("job", LockMode.EXCLUSIVE, Duration.ofSeconds(5))
                .get(5, TimeUnit.SECONDS);
        assertThat(locks.holdCount("job")).as("belongs to no thread").isZero();
        assertThat(locks.diagnostics().localHolds()).singleElement().extracting(LocalHold::name).isEqualTo("job");

        CompletableFuture<FileLockHold> second = locks.acquireAsync("job", LockMode.EXCLUSIVE, Duration.ofSeconds(30));
        CompletableFuture<FileLockHold> timedOut = locks.acquireAsync("job", LockMode.EXCLUSIVE, Duration.ofMillis(50));
        CompletableFuture<FileLockHold> once = locks.acquireAsync("job", LockMode.EXCLUSIVE, Duration.ZERO);
        assertThatThrownBy(() -> timedOut.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(FileLockTimeoutException.class);
        assertThat(once).isCompletedExceptionally();
        assertThat(second.cancel(true)).isTrue();

        CompletableFuture.runAsync(hold::close).get(5, TimeUnit.SECONDS);
        assertThat(hold.isOpen()).isFalse();
        hold.close(); // twice is a no-op
        // The cancelled waiter must not keep the lock.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (locks.tryAcquire("job").map(h -> { h.close(); return false; }).orElse(true)) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(5);
        }
        assertThat(locks.diagnostics().localHolds()).isEmpty();
    }

}
