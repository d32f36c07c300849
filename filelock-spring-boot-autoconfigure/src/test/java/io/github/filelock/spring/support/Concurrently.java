package io.github.filelock.spring.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** Runs several tasks on their own threads at once and waits for all of them, failing on the first error. */
public final class Concurrently {

    private Concurrently() {
    }

    /** Runs {@code times} calls of the task built for each thread index, on {@code threads} threads. */
    public static void run(int threads, int times, IntFunction<Runnable> taskForThread) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Runnable task = taskForThread.apply(i);
                done.add(pool.submit(() -> {
                    for (int j = 0; j < times; j++) {
                        task.run();
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
