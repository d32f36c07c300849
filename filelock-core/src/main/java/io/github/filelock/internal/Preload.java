package io.github.filelock.internal;

/**
 * Loads and initialises classes when a registry is built, so that its first acquire does not (issue 16). That acquire
 * otherwise loads some 35 classes of this library, on its way into the lock and while it holds it, and every caller
 * of the JVM queued behind it waits for the class loader too. In the contention benchmark's first round, in JVMs just
 * started, the longest wait was 53 to 80 ms without this and 34 to 37 ms with it. Each owner names its own classes:
 * the engine here, a backend in its constructor. {@code FirstWaitLoadsNoEngineClassTest} finds any that is missing.
 */
public final class Preload {

    // In a native image every class was loaded when the image was built, and a class named at run time would have to
    // be registered for reflection: there is nothing to do.
    private static final boolean NATIVE_IMAGE =
            "runtime".equals(System.getProperty("org.graalvm.nativeimage.imagecode"));

    private Preload() {
    }

    /** The engine's classes on the path of an acquire that waits, holds and releases. */
    static void engine() {
        classes("io.github.filelock.LockMode", "io.github.filelock.Timeouts", "io.github.filelock.LockWaiter",
                "io.github.filelock.LockHolder", "io.github.filelock.internal.KeyEntry",
                "io.github.filelock.internal.KeyEntry$Pending", "io.github.filelock.internal.KeyEntry$Wait",
                "io.github.filelock.internal.Gate", "io.github.filelock.internal.CohortBound",
                "io.github.filelock.internal.LockFileNames", "io.github.filelock.internal.VirtualThreads",
                "io.github.filelock.internal.CallerWait", "io.github.filelock.internal.CallerWait$InterruptHook",
                "io.github.filelock.internal.Alarms", "io.github.filelock.internal.Alarms$Alarm",
                "io.github.filelock.internal.LocalHolding", "io.github.filelock.internal.ProcessIdentity",
                "io.github.filelock.internal.HoldHandle", "io.github.filelock.internal.ThreadHold",
                "io.github.filelock.internal.LockSpace$LastUse");
        // Composing one record also links its string concatenation and loads java.time, which the first holder
        // would do otherwise.
        RecordComposer.forCurrentThread().compose(Thread.currentThread().getName(), "preload",
                java.time.Instant.now());
    }

    /**
     * Loads and initialises the named classes (binary names, so that private nested classes can be named too).
     *
     * @throws IllegalStateException when one is not there: the list names a class that was renamed or removed
     */
    public static void classes(String... names) {
        if (NATIVE_IMAGE) {
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
}
