package io.github.filelock.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Pools of threads that wait for locks. Daemon, so a JVM with a pending wait can still exit. */
final class DaemonThreads {

    private DaemonThreads() {
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
