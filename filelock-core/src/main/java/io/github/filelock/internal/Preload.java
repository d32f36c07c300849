package io.github.filelock.internal;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Loads and initialises classes when a registry is built, so that its first acquires do not (issue 16). Those
 * acquires otherwise load some 35 classes of this library, on their way into the lock and while they hold it, and
 * every caller of the JVM queued behind them waits for the class loader too. In the contention benchmark's first
 * round, in JVMs just started, the longest wait was 64 to 98 ms without this and 30 to 42 ms with it. Each owner names
 * its own classes: the engine here, a backend in its constructor. {@code FirstWaitLoadsNoEngineClassTest} fails,
 * naming the class, when one on the path of a first wait, queue, hold or release is missing.
 */
public final class Preload {

    private static final AtomicBoolean ENGINE_LOADED = new AtomicBoolean();

    private Preload() {
    }

    /** The engine's classes on the path of an acquire that waits, queues, holds and releases; once per JVM. */
    static void engine() {
        if (!ENGINE_LOADED.compareAndSet(false, true)) {
            return;
        }
        classes("io.github.filelock.LockMode", "io.github.filelock.Timeouts", "io.github.filelock.LockWaiter",
                "io.github.filelock.LockHolder", "io.github.filelock.internal.KeyEntry",
                "io.github.filelock.internal.KeyEntry$Pending", "io.github.filelock.internal.KeyEntry$Wait",
                "io.github.filelock.internal.Gate", "io.github.filelock.internal.Gate$Ticket",
                "io.github.filelock.internal.Waits", "io.github.filelock.internal.CohortBound",
                "io.github.filelock.internal.LockFileNames", "io.github.filelock.internal.VirtualThreads",
                "io.github.filelock.internal.CallerWait", "io.github.filelock.internal.CallerWait$InterruptHook",
                "io.github.filelock.internal.Alarms", "io.github.filelock.internal.Alarms$Alarm",
                "io.github.filelock.internal.LocalHolding", "io.github.filelock.internal.ProcessIdentity",
                "io.github.filelock.internal.HoldHandle", "io.github.filelock.internal.ThreadHold",
                "io.github.filelock.internal.LockSpace$LastUse");
        if (!inNativeImage()) {
            RecordComposer.prepare(Instant.now());
        }
    }

    /**
     * Loads and initialises the named classes (binary names, so that private nested classes can be named too).
     *
     * @throws IllegalStateException when one is not there: the list names a class that was renamed or removed
     */
    public static void classes(String... names) {
        if (inNativeImage()) {
            return;
        }
        ClassLoader loader = Preload.class.getClassLoader();
        for (String name : names) {
            try {
                Class.forName(name, true, loader);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("Preload names " + name + ", which is not on the class path: a class"
                        + " of this library was renamed or removed without updating the list", e);
            }
        }
    }

    // In a native image every class was loaded when the image was built, and a class named at run time would have to
    // be registered for reflection: there is nothing to do.
    private static boolean inNativeImage() {
        return "runtime".equals(System.getProperty("org.graalvm.nativeimage.imagecode"));
    }
}
