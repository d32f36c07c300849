package io.github.filelock.crossprocess;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Child JVM for {@link FirstWaitLoadsNoEngineClassTest}: builds a registry on {@code args[0]}, loads {@link Mark} (the
 * line in its class-load log after which the test looks), then takes {@code args[1]} in two threads of its own. The
 * first waits in {@code flock} for the parent's {@code flock(1)}; the second queues behind it in this JVM. It prints
 * {@code WAITING} once the first is blocked in {@code flock} and the second parked, {@code HELPER WAIT} instead when
 * the wait went to a helper thread (then there is nothing to test), and {@code GOT} as each holds the lock.
 */
public final class FirstWaitChild {

    private FirstWaitChild() {
    }

    /** Loaded right after the registry is built: its line in the class-load log marks where the acquires start. */
    static final class Mark {
    }

    /** An acquiring thread's work; a named class, so that nothing of this child's own loads after the mark. */
    private static final class Acquire implements Runnable {
        private final FileLockRegistry locks;
        private final String name;

        Acquire(FileLockRegistry locks, String name) {
            this.locks = locks;
            this.name = name;
        }

        @Override
        public void run() {
            try (FileLockHold hold = locks.acquire(name, Duration.ofMinutes(1))) {
                System.out.println("GOT " + Thread.currentThread().getName());
                System.out.flush();
            } catch (Exception e) {
                e.printStackTrace();
                System.exit(3);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        InFlock.blocked(Thread.currentThread()); // loaded before the mark: it is the child's, not the engine's
        try (FileLockRegistry locks = FileLockRegistry.builder(Path.of(args[0])).build()) {
            Thread first = new Thread(new Acquire(locks, args[1]), "first");
            Thread queued = new Thread(new Acquire(locks, args[1]), "queued");
            new Mark();
            first.start();
            while (!InFlock.blocked(first)) { // until the acquire waits in the kernel, where flock(1) keeps it
                if (helperBlockedInFlock(first)) {
                    System.out.println("HELPER WAIT");
                    System.exit(2);
                }
                Thread.onSpinWait();
            }
            queued.start();
            while (queued.getState() != Thread.State.WAITING && queued.getState() != Thread.State.TIMED_WAITING) {
                Thread.onSpinWait(); // until it is parked in the queue behind the first
            }
            System.out.println("WAITING");
            System.out.flush();
            first.join();
            queued.join();
        }
    }

    // A wait that cannot be stopped by a signal here (another file system, no usable signal) blocks in a helper.
    private static boolean helperBlockedInFlock(Thread caller) {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread != caller && InFlock.blocked(thread)) {
                return true;
            }
        }
        return false;
    }
}
