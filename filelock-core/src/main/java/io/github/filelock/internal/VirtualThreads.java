package io.github.filelock.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * Virtual threads where the JDK has them (21+), looked up reflectively once: the baseline is Java 17, where
 * {@link #available()} is false and callers fall back to platform daemon threads.
 */
public final class VirtualThreads {

    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

    private VirtualThreads() {
    }

    /** Whether this JVM has virtual threads. */
    public static boolean available() {
        return IS_VIRTUAL != null;
    }

    /** {@code thread.isVirtual()} on 21+; false where virtual threads do not exist. */
    public static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (Throwable e) {
            throw new IllegalStateException("Thread.isVirtual failed", e);
        }
    }

    /**
     * A factory of virtual threads named {@code prefix1, prefix2, ...}; null where the JDK has none, or where the
     * builder cannot be reached by reflection (a native image without its metadata): callers use platform threads.
     */
    public static ThreadFactory factory(String prefix) {
        if (!available()) {
            return null;
        }
        try {
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            Object ofVirtual = Thread.class.getMethod("ofVirtual").invoke(null);
            Object named = builder.getMethod("name", String.class, long.class).invoke(ofVirtual, prefix, 1L);
            return (ThreadFactory) builder.getMethod("factory").invoke(named);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** One new virtual thread per task ({@code Executors.newThreadPerTaskExecutor}); null as {@link #factory}. */
    static ExecutorService perTask(String prefix) {
        ThreadFactory factory = factory(prefix);
        if (factory == null) {
            return null;
        }
        try {
            return (ExecutorService) Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class)
                    .invoke(null, factory);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                    MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null; // before JDK 21
        }
    }
}
