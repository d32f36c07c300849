package io.github.filelock.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pools of the library's threads. Daemon, so a JVM with a pending wait can still exit. Pools that never block in
 * native code may run on virtual threads ({@link VirtualThreads}); the wait pool never does: a thread blocked in a
 * native call pins its carrier.
 */
final class DaemonThreads {

    private DaemonThreads() {
    }

    /** Unbounded: each thread serves one task at a time; idle threads end after 30 s. */
    static ExecutorService cachedPool(String namePrefix) {
        AtomicInteger counter = new AtomicInteger();
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> daemon(r, namePrefix + counter.incrementAndGet()));
    }

    /** A new virtual thread per task where the JDK has them; else as {@link #cachedPool}. */
    static ExecutorService virtualOrCachedPool(String namePrefix) {
        ExecutorService virtual = VirtualThreads.perTask(namePrefix);
        return virtual != null ? virtual : cachedPool(namePrefix);
    }

    /**
     * One thread that runs short tasks in order and keeps timers, started when needed; it ends after 30 s with
     * nothing to do. Cancelled timers are dropped at once, so finished waits leave nothing queued.
     */
    static ScheduledExecutorService serial(String name) {
        return serial(r -> daemon(r, name));
    }

    /** As {@link #serial(String)}, on a virtual thread where the JDK has them: for tasks that never block. */
    static ScheduledExecutorService virtualOrSerial(String name) {
        ThreadFactory virtual = VirtualThreads.factory(name + "-");
        return virtual != null ? serial(virtual) : serial(name);
    }

    private static ScheduledExecutorService serial(ThreadFactory threads) {
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, threads);
        pool.setKeepAliveTime(30, TimeUnit.SECONDS);
        pool.allowCoreThreadTimeOut(true);
        pool.setRemoveOnCancelPolicy(true);
        return pool;
    }

    /** Starts one daemon thread running {@code task}. */
    static void start(String name, Runnable task) {
        daemon(task, name).start();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
