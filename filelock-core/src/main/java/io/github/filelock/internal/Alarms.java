package io.github.filelock.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs short actions at given {@link System#nanoTime()} times on one daemon thread, started when needed. Its point is
 * what it does not do: a new alarm wakes the sleeping thread only when it is due before the time the thread already
 * sleeps until, and a cancelled one never wakes it. A wait's deadline is almost always later than every earlier wait's
 * (the same timeout, started later), so setting and cancelling a deadline per wait costs no thread wake-up; a
 * {@code ScheduledThreadPoolExecutor} wakes its thread for every task that becomes the head of an emptied queue.
 * Nothing queued for {@link #IDLE_NANOS}: the thread ends, and the next alarm starts another.
 */
final class Alarms {

    static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(30);
    /**
     * The latest an alarm is set for, from now (146 years). Alarms compare by the difference of their due times, an
     * order only while all pending ones lie within 2^63 ns of each other: a wait with a timeout of
     * {@code Duration.ofNanos(Long.MAX_VALUE)}, started after another alarm was due but before it ran, would sort
     * before it, and the thread would sleep until the later one.
     */
    static final long MAX_DELAY_NANOS = Long.MAX_VALUE >> 1;

    private final String threadName;
    private final long idleNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition earlier = lock.newCondition();
    private final TreeSet<Alarm> pending = new TreeSet<>(); // by due time, then by order of setting
    private long setCount; // guarded by lock
    private boolean running; // guarded by lock: a thread serves the alarms
    private boolean sleeping; // guarded by lock: it waits until wakeAt
    private long wakeAt; // guarded by lock

    Alarms(String threadName) {
        this(threadName, IDLE_NANOS);
    }

    Alarms(String threadName, long idleNanos) {
        this.threadName = threadName;
        this.idleNanos = idleNanos;
    }

    /** One pending action; {@link #cancel} it when it is no longer wanted. */
    static final class Alarm implements Comparable<Alarm> {
        private final long due;
        private final long order;
        private final Runnable action;
        private volatile boolean cancelled; // taken with a batch, not run yet: it must not run

        private Alarm(long due, long order, Runnable action) {
            this.due = due;
            this.order = order;
            this.action = action;
        }

        @Override
        public int compareTo(Alarm other) {
            int byTime = Long.compare(due - other.due, 0); // nanoTime values compare by difference
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }

    /**
     * Runs {@code action} (quick, never blocking: it delays every other alarm) at {@code due}, or at once if past; at
     * the latest {@link #MAX_DELAY_NANOS} from now.
     */
    Alarm at(long due, Runnable action) {
        long latest = System.nanoTime() + MAX_DELAY_NANOS;
        lock.lock();
        try {
            Alarm alarm = new Alarm(due - latest > 0 ? latest : due, setCount++, action);
            pending.add(alarm);
            if (!running) {
                try {
                    startServing();
                } catch (RuntimeException | Error e) {
                    pending.remove(alarm); // the caller is told it is not set: it must not run when a thread starts
                    throw e;
                }
            } else if (sleeping && alarm.due - wakeAt < 0) { // the due as set: a far one, capped, compares right
                TestHooks.reach("Alarms.waking", this);
                earlier.signal();
            }
            return alarm;
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code action} after {@code delayNanos}. */
    Alarm after(long delayNanos, Runnable action) {
        return at(System.nanoTime() + delayNanos, action);
    }

    /** The alarm will not run, unless it already has or is running now. Never wakes the thread. */
    void cancel(Alarm alarm) {
        lock.lock();
        try {
            alarm.cancelled = true;
            pending.remove(alarm);
        } finally {
            lock.unlock();
        }
    }

    // Under the lock. If the thread cannot start, the caller's alarm fails (at() takes it back), and the next alarm
    // tries again.
    private void startServing() {
        running = true;
        try {
            TestHooks.reach("Alarms.starting", this);
            DaemonThreads.start(threadName, this::serve);
        } catch (RuntimeException | Error e) {
            running = false;
            throw e;
        }
    }

    private void serve() {
        List<Alarm> due = new ArrayList<>();
        boolean ended = false;
        lock.lock();
        try {
            long idleSince = System.nanoTime();
            while (true) {
                long now = System.nanoTime();
                while (!pending.isEmpty() && pending.first().due - now <= 0) {
                    due.add(pending.pollFirst());
                }
                if (!due.isEmpty()) {
                    lock.unlock();
                    try {
                        runAll(due);
                    } finally {
                        lock.lock();
                    }
                    idleSince = System.nanoTime();
                    continue;
                }
                if (pending.isEmpty() && now - idleSince >= idleNanos) {
                    running = false; // an alarm set from now on starts a new thread
                    ended = true;
                    TestHooks.reach("Alarms.ended", this);
                    return;
                }
                // With nothing pending, sleep out the idle time: an alarm due later needs no wake-up meanwhile.
                wakeAt = pending.isEmpty() ? idleSince + idleNanos : pending.first().due;
                sleeping = true;
                try {
                    TestHooks.reach("Alarms.sleeping", this);
                    earlier.awaitNanos(wakeAt - now);
                } catch (InterruptedException e) {
                    // a daemon of the library's own: nobody else interrupts it; serve on
                } finally {
                    sleeping = false;
                }
            }
        } finally {
            if (!ended) { // never: runAll catches what actions throw. Pending deadlines must not wait for a new alarm.
                running = false;
                if (!pending.isEmpty()) {
                    startServing();
                }
            }
            lock.unlock();
        }
    }

    private static void runAll(List<Alarm> due) {
        for (Alarm alarm : due) {
            try {
                if (!alarm.cancelled) {
                    alarm.action.run();
                }
            } catch (RuntimeException | Error e) {
                Log.LOGGER.log(System.Logger.Level.ERROR, "A lock wait's timer action failed", e);
            }
        }
        due.clear();
    }
}
