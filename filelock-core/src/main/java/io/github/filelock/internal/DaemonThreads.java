package io.github.filelock.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Pools of threads that wait for locks or release them later. Daemon, so a JVM with a pending wait can still exit. */
final class DaemonThreads {

    private DaemonThreads() {
    }

    /** One thread that runs tasks at their time; cancelled tasks leave its queue at once. */
    static ScheduledExecutorService scheduler(String name) {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }

    /** Unbounded: each thread serves one wait; idle threads end after 30 s. */
    static ExecutorService cachedPool(String namePrefix) {
        AtomicInteger counter = new AtomicInteger();
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, namePrefix + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
