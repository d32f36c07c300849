package io.github.filelock.crossprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.filelock.FileLockDrainingException;
import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockInterruptedException;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.FileLockTimeoutException;
import io.github.filelock.LockMode;
import io.github.filelock.LockType;
import io.github.filelock.internal.TestHooks;
import io.github.filelock.internal.flock.FlockBackend;
import io.github.filelock.internal.posix.InterruptSignal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A platform thread that waits for a flock lock held by another process blocks in {@code flock(2)} itself (one
 * wake-up per hand-off), and its timeout, an interrupt and a drain still stop it: the JDK's NIO signal interrupts the
 * call. Holders are real: {@code flock(1)} and child JVMs, killed with SIGKILL in one test. Where the signal's check
 * fails, the wait blocks in a helper thread instead, as before.
 */
@Timeout(180)
class CallerWaitSignalTest {

    private static final Duration SOON = Duration.ofSeconds(30);
    private static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    private FileLockRegistry registry;

    @BeforeEach
    void onLinuxWithFlock() {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"), "Linux only");
        assumeTrue(FlockInteropTest.onPath("flock"), "needs flock(1)");
        registry = FileLockRegistry.builder(dir).type(LockType.FLOCK).build();
    }

    @AfterEach
    void close() {
        FlockBackend.useSignalForTests(null);
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void theJdkSignalHandlerIsVerifiedAndTheCallerItselfBlocksInFlock() throws Exception {
        InterruptSignal signal = InterruptSignal.nio();
        assertThat(signal.usable()).as(signal.describe()).isTrue();
        assertThat(signal.describe()).contains("libnio", "without SA_RESTART");
        assertThat(FlockBackend.waitPath()).startsWith("caller thread, stopped by signal 62");
        ChildProcess holder = flockHolder("a");

        Caller caller = Caller.start("caller-a", () -> held(registry.acquire("a", LONG)));
        Eventually.await("the caller blocks in flock", SOON, () -> InFlock.blocked(caller.thread), caller::describe);
        assertThat(threadsInFlock()).as("no helper thread blocks for it").containsExactly("caller-a");

        holder.send("go");
        assertThat(caller.outcome(SOON)).isEqualTo("held");
    }

    @Test
    void aSignalWithoutHandlerFailsTheCheckAndWaitsBlockInAHelperThread() throws Exception {
        InterruptSignal none = InterruptSignal.check(40); // SIGRTMIN+6: nothing in the JVM handles it
        assertThat(none.usable()).isFalse();
        assertThat(none.describe()).contains("no handler", "it would end the process", "helper thread");
        FlockBackend.useSignalForTests(none);
        assertThat(FlockBackend.waitPath()).startsWith("helper thread: signal 40 has no handler");
        ChildProcess holder = flockHolder("h");

        Caller caller = Caller.start("caller-h", () -> held(registry.acquire("h", LONG)));
        Eventually.await("a helper thread blocks in flock", SOON,
                () -> threadsInFlock().stream().anyMatch(name -> name.startsWith("filelock-wait-")),
                () -> "in flock: " + threadsInFlock());
        Eventually.await("the caller parks", SOON, () -> InFlock.waiting(caller.thread), caller::describe);
        assertThat(InFlock.blocked(caller.thread)).isFalse();
        long start = System.nanoTime();
        assertThat(registry.tryAcquire("h", LockMode.EXCLUSIVE, Duration.ofMillis(200))).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));

        holder.send("go");
        assertThat(caller.outcome(SOON)).isEqualTo("held");
    }

    @Test
    void aForkJoinWorkerWaitsOnAFutureSoThatItsPoolCanCompensate() throws Exception {
        ChildProcess holder = flockHolder("f");
        ForkJoinPool pool = new ForkJoinPool(1);
        try {
            ForkJoinTask<String> task = pool.submit(() -> held(registry.acquire("f", LONG)));
            Eventually.await("a helper thread blocks in flock for the worker", SOON,
                    () -> threadsInFlock().stream().anyMatch(name -> name.startsWith("filelock-wait-")),
                    () -> "in flock: " + threadsInFlock());
            assertThat(threadsInFlock()).noneMatch(name -> name.contains("ForkJoinPool"));
            holder.send("go");
            assertThat(task.get(30, TimeUnit.SECONDS)).isEqualTo("held");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aStraySignalMakesTheCallerBlockAgainNotLeave() throws Exception {
        ChildProcess holder = flockHolder("s");
        AtomicInteger interruptedCalls = new AtomicInteger();
        TestHooks.install((point, subject) -> {
            if (point.equals("FlockFile.interrupted")) {
                interruptedCalls.incrementAndGet();
            }
        });
        try {
            AtomicLong pthread = new AtomicLong();
            Caller caller = Caller.start("caller-s", () -> {
                pthread.set(InterruptSignal.nio().self());
                return held(registry.acquire("s", LONG));
            });
            Eventually.await("the caller blocks in flock", SOON, () -> InFlock.blocked(caller.thread),
                    caller::describe);
            for (int i = 1; i <= 3; i++) { // the same signal, with no stop asked: EINTR, and flock again
                // The stack shows the native flock frame before the thread is inside the system call, and a signal
                // that lands there is lost (CallerWait resends for that reason): send until a call was interrupted.
                int before = interruptedCalls.get();
                Eventually.await("the call was interrupted", SOON, () -> interruptedCalls.get() > before
                        || !InterruptSignal.nio().send(pthread.get()), caller::describe);
                assertThat(interruptedCalls.get()).as("sent to a verified handler").isGreaterThan(before);
                Eventually.await("the caller blocks in flock again", SOON, () -> InFlock.blocked(caller.thread),
                        caller::describe);
            }
            holder.send("go");
            assertThat(caller.outcome(SOON)).isEqualTo("held");
        } finally {
            TestHooks.install(null);
        }
    }

    @Test
    void timeoutInterruptAndDrainStopACallerBlockedInFlock() throws Exception {
        ChildProcess holder = flockHolder("t");

        long start = System.nanoTime();
        Caller timed = Caller.start("timed", () -> held(registry.acquire("t", Duration.ofMillis(300))));
        Eventually.await("the timed caller blocks in flock", SOON, () -> InFlock.blocked(timed.thread),
                timed::describe);
        assertThat(timed.outcome(SOON)).isInstanceOf(FileLockTimeoutException.class);
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("[signal] acquire(300 ms) in flock threw after %.1f ms%n", waited.toNanos() / 1e6);
        assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(Duration.ofSeconds(10));
        assertThat(((Throwable) timed.outcome(SOON)).getMessage()).contains("held by pid " + holder.pid());

        Caller interrupted = Caller.start("interrupted", () -> held(registry.acquire("t", LONG)));
        Eventually.await("the caller blocks in flock", SOON, () -> InFlock.blocked(interrupted.thread),
                interrupted::describe);
        interrupted.thread.interrupt();
        assertThat(interrupted.outcome(SOON)).isInstanceOf(FileLockInterruptedException.class);
        assertThat(interrupted.interruptedAfter).as("the interrupt status is kept").isTrue();

        // Lock.lock() does not answer interrupts: an interrupt neither stops its wait nor loses the lock.
        Lock view = registry.obtain("t");
        Caller uninterruptible = Caller.start("uninterruptible", () -> {
            view.lock();
            view.unlock();
            return "locked";
        });
        Eventually.await("Lock.lock blocks in flock", SOON, () -> InFlock.blocked(uninterruptible.thread),
                uninterruptible::describe);
        uninterruptible.thread.interrupt();
        Eventually.await("still waiting after the interrupt", SOON, () -> InFlock.blocked(uninterruptible.thread),
                uninterruptible::describe);
        holder.send("go");
        assertThat(uninterruptible.outcome(SOON)).isEqualTo("locked");
        assertThat(uninterruptible.interruptedAfter).isTrue();

        ChildProcess drainedHolder = flockHolder("d");
        Caller forever = Caller.start("forever", () -> held(registry.acquire("d")));
        Eventually.await("the caller blocks in flock", SOON, () -> InFlock.blocked(forever.thread),
                forever::describe);
        registry.drain();
        assertThat(forever.outcome(SOON)).isInstanceOf(FileLockDrainingException.class);
        assertThat(threadsInFlock()).isEmpty();
        drainedHolder.send("go");
    }

    @Test
    void fiftyCallersTimedOutOrInterruptedAtRandomAllReturnAndLeaveNothingBehind() throws Exception {
        int names = 25;
        ChildProcess holder = ManyHolderChild.startHolding(children, dir, "m", names);
        Random random = new Random(16);
        for (int round = 0; round < 3; round++) {
            List<Caller> callers = new ArrayList<>();
            List<Long> timeouts = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                long timeoutMillis = 5 + random.nextInt(400);
                String name = "m" + (i % names);
                timeouts.add(timeoutMillis);
                callers.add(Caller.start("caller-" + round + "-" + i,
                        () -> held(registry.acquire(name, Duration.ofMillis(timeoutMillis)))));
            }
            for (int i = 0; i < 50; i += 5) { // every fifth is interrupted at a random moment of its wait
                Thread.sleep(random.nextInt(20));
                callers.get(i).thread.interrupt();
            }
            for (int i = 0; i < 50; i++) {
                Caller caller = callers.get(i);
                Object outcome = caller.outcome(SOON);
                assertThat(outcome).as(caller.describe())
                        .isInstanceOfAny(FileLockTimeoutException.class, FileLockInterruptedException.class);
                if (outcome instanceof FileLockTimeoutException) {
                    assertThat(caller.tookNanos).as(caller.describe())
                            .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(timeouts.get(i)));
                }
            }
            assertThat(threadsInFlock()).as("round " + round).isEmpty();
            assertThat(registry.diagnostics().waiters()).isEmpty();
        }

        ManyHolderChild.release(holder);
        for (int i = 0; i < names; i++) {
            Optional<FileLockHold> hold = registry.tryAcquire("m" + i, LockMode.EXCLUSIVE, Duration.ofSeconds(5));
            assertThat(hold).as("nothing of the stopped waits holds m" + i).isPresent();
            hold.get().close();
        }
    }

    @Test
    void aReaderThatJoinedACallersWaitWaitsOnAfterThatCallerTimesOut() throws Exception {
        ChildProcess holder = flockHolder("r");
        Caller first = Caller.start("first-reader",
                () -> held(registry.acquire("r", LockMode.SHARED, Duration.ofSeconds(2))));
        Eventually.await("the first reader blocks in flock", SOON, () -> InFlock.blocked(first.thread),
                first::describe);
        Caller second = Caller.start("second-reader", () -> held(registry.acquire("r", LockMode.SHARED, LONG)));
        Eventually.await("the second reader joins that wait", SOON,
                () -> registry.diagnostics().waiters().size() == 2 && InFlock.waiting(second.thread),
                second::describe);

        assertThat(first.outcome(SOON)).isInstanceOf(FileLockTimeoutException.class);
        Eventually.await("a helper thread waits on for the second reader", SOON,
                () -> threadsInFlock().stream().anyMatch(name -> name.startsWith("filelock-wait-")),
                () -> "in flock: " + threadsInFlock());
        holder.send("go");
        assertThat(second.outcome(SOON)).isEqualTo("held");
    }

    @Test
    void killMinusNineOfTheHolderGivesEveryCallerBlockedInFlockItsLock() throws Exception {
        int names = 10;
        ChildProcess holder = ManyHolderChild.startHolding(children, dir, "k", names);
        List<Caller> callers = new ArrayList<>();
        for (int i = 0; i < names; i++) {
            String name = "k" + i;
            callers.add(Caller.start("caller-" + name, () -> held(registry.acquire(name, LONG))));
        }
        Eventually.await("every caller blocks in flock", SOON,
                () -> callers.stream().allMatch(caller -> InFlock.blocked(caller.thread)),
                () -> "in flock: " + threadsInFlock());

        holder.kill(); // SIGKILL: the kernel frees its locks
        for (Caller caller : callers) {
            assertThat(caller.outcome(SOON)).as(caller.describe()).isEqualTo("held");
        }
    }

    // In the caller's thread: only the owner may close a hold.
    private static String held(FileLockHold hold) {
        try (hold) {
            return hold.isValid() ? "held" : "invalid";
        }
    }

    private ChildProcess flockHolder(String name) {
        Path file = registry.diagnostics().lockFile(name);
        ChildProcess holder = children.command("flock", "-x", file.toString(), "-c", "echo HELD; read line");
        holder.awaitLine("HELD", Duration.ofSeconds(10));
        return holder;
    }

    private static List<String> threadsInFlock() {
        return Thread.getAllStackTraces().keySet().stream().filter(InFlock::blocked).map(Thread::getName)
                .sorted().collect(Collectors.toList());
    }

    /** A platform thread that makes one call and keeps what it returned or threw, and its interrupt status. */
    private static final class Caller {
        final Thread thread;
        private volatile Object outcome;
        volatile boolean interruptedAfter;
        volatile long tookNanos;

        private Caller(String name, Supplier<Object> call) {
            thread = new Thread(() -> {
                long start = System.nanoTime();
                try {
                    outcome = call.get();
                } catch (RuntimeException e) {
                    outcome = e;
                }
                tookNanos = System.nanoTime() - start;
                interruptedAfter = Thread.currentThread().isInterrupted();
            }, name);
        }

        static Caller start(String name, Supplier<Object> call) {
            Caller caller = new Caller(name, call);
            caller.thread.start();
            return caller;
        }

        Object outcome(Duration timeout) throws InterruptedException {
            thread.join(timeout.toMillis());
            assertThat(thread.isAlive()).as(thread.getName() + " still waits: " + describe()).isFalse();
            return outcome;
        }

        String describe() {
            return thread.getName() + " " + thread.getState() + " outcome " + outcome + " in flock "
                    + InFlock.blocked(thread);
        }
    }
}
