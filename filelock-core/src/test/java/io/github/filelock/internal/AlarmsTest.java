package io.github.filelock.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The timer of caller waits: alarms run in order of due time, a cancelled one never runs, and (its reason to exist) an
 * alarm due after the time the thread already sleeps until does not wake it. Wake-ups are counted at the point where
 * the thread is signalled, so nothing here depends on timing but the alarms' own due times.
 */
@Timeout(30)
class AlarmsTest {

    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    private final AtomicInteger wakings = new AtomicInteger();
    private final Semaphore sleeps = new Semaphore(0);
    private final CountDownLatch ended = new CountDownLatch(1);

    private Alarms watch(Alarms alarms) {
        TestHooks.install((point, subject) -> {
            if (subject != alarms) {
                return; // another test's or the library's own alarms
            }
            switch (point) {
                case "Alarms.waking" -> wakings.incrementAndGet();
                case "Alarms.sleeping" -> sleeps.release();
                case "Alarms.ended" -> ended.countDown();
                default -> {
                }
            }
        });
        return alarms;
    }

    @AfterEach
    void removeHook() {
        TestHooks.install(null);
    }

    @Test
    void alarmsRunInOrderOfDueTimeAndACancelledOneNever() throws InterruptedException {
        Alarms alarms = watch(new Alarms("alarms-test"));
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch last = new CountDownLatch(1);
        long now = System.nanoTime();
        alarms.at(now + TimeUnit.MILLISECONDS.toNanos(60), () -> {
            ran.add("third");
            last.countDown();
        });
        alarms.at(now + TimeUnit.MILLISECONDS.toNanos(20), () -> ran.add("first"));
        Alarms.Alarm cancelled = alarms.at(now + TimeUnit.MILLISECONDS.toNanos(40), () -> ran.add("cancelled"));
        alarms.at(now + TimeUnit.MILLISECONDS.toNanos(40), () -> ran.add("second"));
        alarms.cancel(cancelled);

        assertThat(last.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactly("first", "second", "third");
    }

    @Test
    void anAlarmDueLaterThanTheThreadSleepsDoesNotWakeItAnEarlierOneDoes() throws InterruptedException {
        Alarms alarms = watch(new Alarms("alarms-test"));
        long now = System.nanoTime();
        alarms.at(now + HOUR, () -> { });
        sleeps.acquire(); // the thread sleeps until that alarm

        alarms.at(now + 2 * HOUR, () -> { });
        Alarms.Alarm cancelled = alarms.at(now + 3 * HOUR, () -> { });
        alarms.cancel(cancelled);
        assertThat(wakings).as("later alarms and a cancel leave the thread asleep").hasValue(0);

        CountDownLatch ran = new CountDownLatch(1);
        alarms.at(now, ran::countDown); // already due
        assertThat(wakings).hasValue(1);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void withNothingPendingTheThreadSleepsOutItsIdleTimeSoAWaitsDeadlineDoesNotWakeIt() throws InterruptedException {
        Alarms alarms = watch(new Alarms("alarms-test", HOUR));
        CountDownLatch ran = new CountDownLatch(1);
        Alarms.Alarm first = alarms.at(System.nanoTime(), ran::countDown);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        alarms.cancel(first);
        sleeps.acquire(); // idle: asleep until an hour after the last alarm ran

        for (int wait = 0; wait < 100; wait++) { // waits with a 2-hour timeout, each set and cancelled
            alarms.cancel(alarms.after(2 * HOUR, () -> { }));
        }
        assertThat(wakings).hasValue(0);
    }

    @Test
    void anIdleThreadEndsAndTheNextAlarmStartsAnother() throws InterruptedException {
        Alarms alarms = watch(new Alarms("alarms-test", TimeUnit.MILLISECONDS.toNanos(20)));
        CountDownLatch first = new CountDownLatch(1);
        alarms.after(0, first::countDown);
        assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();

        CountDownLatch second = new CountDownLatch(1);
        alarms.after(0, second::countDown);
        assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void anAlarmCancelledWhileAnEarlierOneOfItsBatchRunsDoesNotRun() throws InterruptedException {
        Alarms alarms = watch(new Alarms("alarms-test"));
        List<String> ran = new CopyOnWriteArrayList<>();
        long due = System.nanoTime() + TimeUnit.SECONDS.toNanos(1); // both set long before: one batch
        Blocker first = Blocker.at(alarms, due);
        Alarms.Alarm second = alarms.at(due, () -> ran.add("second"));
        first.awaitRunning();

        alarms.cancel(second); // taken from the queue with the first, not run yet
        first.release();
        CountDownLatch after = new CountDownLatch(1);
        alarms.at(System.nanoTime(), after::countDown);
        assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).isEmpty();
    }

    @Test
    void anActionThatThrowsDoesNotStopTheOthers() throws InterruptedException {
        Alarms alarms = watch(new Alarms("alarms-test"));
        CountDownLatch after = new CountDownLatch(1);
        long now = System.nanoTime();
        alarms.at(now, () -> {
            throw new IllegalStateException("an action's own failure");
        });
        alarms.at(now + TimeUnit.MILLISECONDS.toNanos(10), after::countDown);

        assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void anAlarmDueAsFarAheadAsNanoTimeCountsDoesNotHoldUpOneAlreadyDue() throws InterruptedException {
        Alarms alarms = watch(new Alarms("alarms-test"));
        Blocker busy = Blocker.at(alarms, System.nanoTime());
        busy.awaitRunning(); // the thread runs it: what is set now stays pending

        CountDownLatch ran = new CountDownLatch(1);
        alarms.at(System.nanoTime() - 1, ran::countDown); // due, not yet run (as a kick the thread is late for)
        // a wait with a timeout of Duration.ofNanos(Long.MAX_VALUE), started after that alarm was due
        alarms.at(System.nanoTime() + Long.MAX_VALUE, () -> { });
        busy.release();

        assertThat(ran.await(10, TimeUnit.SECONDS)).as("the due alarm ran, not held up for 292 years").isTrue();
    }

    @Test
    void anAlarmWhoseThreadCouldNotStartIsNotSetAndNeverRunsLater() throws InterruptedException {
        Alarms alarms = new Alarms("alarms-test");
        AtomicBoolean failStart = new AtomicBoolean(true);
        TestHooks.install((point, subject) -> {
            if (subject == alarms && point.equals("Alarms.starting") && failStart.getAndSet(false)) {
                throw new OutOfMemoryError("unable to create native thread: possibly out of memory");
            }
        });
        AtomicBoolean failedRan = new AtomicBoolean();
        long now = System.nanoTime();
        assertThatThrownBy(() -> alarms.at(now, () -> failedRan.set(true))).isInstanceOf(OutOfMemoryError.class);

        CountDownLatch next = new CountDownLatch(1);
        alarms.at(now, next::countDown); // as due, set later: it runs after the failed one would have
        assertThat(next.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(failedRan).as("the caller was told that alarm failed").isFalse();
    }

    /** An alarm whose action holds the timer thread until released. */
    private record Blocker(CountDownLatch running, CountDownLatch released) {

        static Blocker at(Alarms alarms, long due) {
            Blocker blocker = new Blocker(new CountDownLatch(1), new CountDownLatch(1));
            alarms.at(due, () -> {
                blocker.running.countDown();
                awaitUninterruptibly(blocker.released);
            });
            return blocker;
        }

        void awaitRunning() throws InterruptedException {
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        }

        void release() {
            released.countDown();
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // the test's own thread: nobody interrupts it
            }
        }
    }
}
