package io.github.filelock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The gate under real threads for two seconds: readers and writers, deadlines of up to 200 us, waits for ever, and
 * random interrupts of interruptible and uninterruptible waits, entered as {@code LockEngine.enterGate} enters. Never
 * two writers, never a reader beside a writer, no thread stuck, and every permit back at the end. It caught a leaked
 * permit and a lost wake-up planted in the gate (review of issue 16's queue).
 */
class GateStressTest {

    private static final long RUN_NANOS = 2_000_000_000L;

    private final Gate gate = new Gate();
    private final Drain drain = new Drain();
    private final AtomicInteger readers = new AtomicInteger();
    private final AtomicInteger writers = new AtomicInteger();
    private final AtomicReference<String> broken = new AtomicReference<>();
    private final AtomicInteger entered = new AtomicInteger();
    private final AtomicInteger timedOut = new AtomicInteger();
    private final AtomicInteger interrupted = new AtomicInteger();

    private boolean enter(int permits, long deadline, boolean forever, boolean interruptible)
            throws InterruptedException {
        if (gate.tryEnter(permits)) {
            return true;
        }
        Gate.Ticket ticket = gate.enqueueThread(permits);
        try {
            Waits.await(ticket, deadline, forever, interruptible, drain);
            return true;
        } catch (TimeoutException e) {
            return gate.abandon(ticket);
        } catch (InterruptedException e) {
            if (gate.abandon(ticket)) {
                gate.release(permits);
            }
            throw e;
        }
    }

    @Test
    void noTwoWritersNoLeakUnderTimeoutsAndInterrupts() throws Exception {
        int threads = 6;
        List<Thread> all = new ArrayList<>();
        long end = System.nanoTime() + RUN_NANOS;
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                while (System.nanoTime() < end) {
                    int permits = r.nextInt(3) == 0 ? 1 : Gate.ALL_PERMITS;
                    boolean forever = r.nextInt(4) == 0;
                    boolean interruptible = r.nextBoolean();
                    long deadline = System.nanoTime() + r.nextInt(1, 200_000);
                    boolean in;
                    try {
                        in = enter(permits, deadline, forever, interruptible);
                    } catch (InterruptedException e) {
                        interrupted.incrementAndGet();
                        continue;
                    }
                    Thread.interrupted(); // an interrupt that came after the wait: not this round's business
                    if (!in) {
                        timedOut.incrementAndGet();
                        continue;
                    }
                    entered.incrementAndGet();
                    if (permits == 1) {
                        readers.incrementAndGet();
                        if (writers.get() != 0) {
                            broken.compareAndSet(null, "reader beside a writer");
                        }
                    } else {
                        if (writers.incrementAndGet() != 1 || readers.get() != 0) {
                            broken.compareAndSet(null, "two writers or a writer beside readers");
                        }
                    }
                    if (r.nextInt(8) == 0) {
                        Thread.onSpinWait();
                        Thread.yield();
                    }
                    if (permits == 1) {
                        readers.decrementAndGet();
                    } else {
                        writers.decrementAndGet();
                    }
                    gate.release(permits);
                }
            }, "stress-" + t);
            all.add(th);
            th.start();
        }
        Thread interrupter = new Thread(() -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            while (System.nanoTime() < end) {
                all.get(r.nextInt(threads)).interrupt();
                LockSupport.parkNanos(r.nextInt(1, 50_000));
            }
        });
        interrupter.start();
        interrupter.join();
        for (Thread th : all) {
            th.join(20_000);
            assertThat(th.isAlive()).as(th.getName() + " stuck").isFalse();
        }
        assertThat(broken.get()).isNull();
        assertThat(entered.get()).as("entries").isPositive();
        assertThat(timedOut.get()).as("waits that timed out").isPositive();
        assertThat(interrupted.get()).as("waits that an interrupt ended").isPositive();
        assertThat(gate.idle()).as("every permit back").isTrue();
        assertThat(gate.tryEnter(Gate.ALL_PERMITS)).as("queue empty").isTrue();
    }
}
