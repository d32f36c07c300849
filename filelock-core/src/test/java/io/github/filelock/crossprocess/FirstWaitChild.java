package io.github.filelock.crossprocess;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.internal.flock.FlockBackend;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Child JVM for {@link FirstWaitLoadsNoEngineClassTest}: builds a registry on {@code args[0]}, loads {@link Mark} (the
 * line in its class-load log after which the test looks), then takes {@code args[1]} in a thread of its own. It
 * prints how its waits wait ({@code WAIT PATH}), {@code WAITING} once that thread is blocked in {@code flock}, and
 * {@code GOT} when it holds the lock.
 */
public final class FirstWaitChild {

    private FirstWaitChild() {
    }

    /** Loaded right after the registry is built: its line in the class-load log marks where the acquire starts. */
    static final class Mark {
    }

    /** The acquiring thread's work; a named class, so that nothing of this child's own loads after the mark. */
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
                System.out.println("GOT");
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
            // Only where the signal check passed does the acquiring thread itself wait in flock
            System.out.println("WAIT PATH " + FlockBackend.waitPath());
            Thread acquiring = new Thread(new Acquire(locks, args[1]), "first-acquire");
            new Mark();
            acquiring.start();
            while (!InFlock.blocked(acquiring)) {
                Thread.onSpinWait(); // until the acquire waits in the kernel, where the parent's flock(1) keeps it
            }
            System.out.println("WAITING");
            System.out.flush();
            acquiring.join();
        }
    }
}
