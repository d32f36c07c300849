package io.github.filelock.crossprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockState;
import io.github.filelock.LockType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A FileChannel is an interruptible channel: an interrupted thread that touches it closes it, and with it go
 * this process's fcntl locks on the file. The engine shares one channel per file among all threads, so an
 * interrupted holder, waiter or inspector must never close it: the lock stays held (a child JVM cannot take
 * it) and the name keeps working for later callers.
 */
@Timeout(60)
class FileChannelInterruptTest {

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @TempDir
    Path dir;

    private FileLockRegistry registry;
    private ProbeChild prober;

    @BeforeEach
    void setUp() {
        registry = FileLockRegistry.builder(dir).type(LockType.FILE_CHANNEL).build();
        prober = ProbeChild.start(children, dir, LockType.FILE_CHANNEL);
    }

    @AfterEach
    void tearDown() {
        registry.close();
    }

    @Test
    void aHolderWhoseThreadIsInterruptedKeepsTheLockAndTheName() throws Exception {
        OtherThread.call(() -> {
            Thread.currentThread().interrupt(); // a cancelled task that still takes the lock in its cleanup
            try (FileLockHold hold = registry.acquire("job", Duration.ofSeconds(5))) {
                assertThat(Thread.interrupted()).as("the holder's interrupt status is kept").isTrue();
                assertThat(prober.canLock("job")).as("another JVM could take the lock of an interrupted holder")
                        .isFalse();
                registry.diagnostics().inspect("job");
                Thread.currentThread().interrupt(); // and it releases while interrupted
            } finally {
                Thread.interrupted();
            }
            return null;
        });
        assertNameStillWorks("job");
    }

    @Test
    void anUninterruptibleWaiterThatWasInterruptedGetsAndKeepsTheLock() throws Exception {
        ChildProcess holder = HolderChild.startHolding(children, dir, "job", LockType.FILE_CHANNEL);
        Lock lock = registry.obtain("job");
        CompletableFuture<Boolean> waiter = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                lock.lock(); // Lock.lock() ignores interrupts, and must keep ignoring them once it holds
                try {
                    boolean kept = Thread.interrupted();
                    waiter.complete(kept && !prober.canLock("job"));
                } finally {
                    Thread.interrupted();
                    lock.unlock();
                }
            } catch (Throwable e) {
                waiter.completeExceptionally(e);
            }
        }, "uninterruptible-waiter");
        thread.start();
        awaitOneWaiter();
        thread.interrupt();
        HolderChild.release(holder);

        assertThat(waiter.get(20, TimeUnit.SECONDS))
                .as("the interrupted waiter kept its interrupt status, and its lock excluded another JVM").isTrue();
        assertNameStillWorks("job");
    }

    @Test
    void anInterruptedThreadInspectingANameBreaksNeitherTheNameNorAWaiter() throws Exception {
        ChildProcess holder = HolderChild.startHolding(children, dir, "job", LockType.FILE_CHANNEL);
        CompletableFuture<Long> waiter = OtherThread.acquireAndRelease(registry, "job", Duration.ofSeconds(20));
        awaitOneWaiter();

        LockState seen = OtherThread.call(() -> {
            Thread.currentThread().interrupt(); // e.g. a watchdog being shut down with shutdownNow()
            try {
                return registry.diagnostics().inspect("job").state();
            } finally {
                Thread.interrupted();
            }
        });
        assertThat(seen).isEqualTo(LockState.HELD_BY_OTHER_PROCESS);

        HolderChild.release(holder);
        assertThat(waiter.get(20, TimeUnit.SECONDS)).as("the waiter got the lock once the child let go").isPositive();
        assertNameStillWorks("job");
    }

    private void awaitOneWaiter() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (registry.diagnostics().waiters().isEmpty()) {
            assertThat(System.nanoTime()).as("a thread started waiting").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private void assertNameStillWorks(String name) throws Exception {
        OtherThread.call(() -> {
            try (FileLockHold hold = registry.acquire(name, Duration.ofSeconds(5))) {
                assertThat(prober.canLock(name)).as("another JVM could take '" + name + "' while this JVM holds it")
                        .isFalse();
            }
            return null;
        });
        assertThat(prober.canLock(name)).as("free once released").isTrue();
    }
}
