package io.github.filelock.crossprocess;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.internal.VirtualThreads;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Child JVM (run it with one carrier thread) whose {@code waiters=} virtual threads wait for {@code name=}, held by
 * another process; once all wait, it starts {@value #PROBES} more virtual threads one by one and prints {@code
 * PROBED worst_us=<how long the slowest took to run>}, then {@code GRANTED <n>} once the waiters got the lock.
 */
public final class StarvationChild {

    static final int PROBES = 20;

    private StarvationChild() {
    }

    public static void main(String[] argv) throws Exception {
        ChildArgs args = new ChildArgs(argv);
        FileLockRegistry registry = args.registry();
        int waiters = args.getInt("waiters", 1000);
        ThreadFactory virtual = VirtualThreads.factory("waiter-");
        CountDownLatch done = new CountDownLatch(waiters);
        AtomicInteger granted = new AtomicInteger();
        for (int i = 0; i < waiters; i++) {
            virtual.newThread(() -> {
                try (FileLockHold hold = registry.acquire(args.get("name"), Duration.ofMinutes(2))) {
                    granted.incrementAndGet();
                } catch (Throwable t) {
                    System.out.println("FAILED " + t);
                } finally {
                    done.countDown();
                }
            }).start();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (registry.diagnostics().waiters().size() < waiters) {
            if (System.nanoTime() - deadline > 0) {
                System.out.println("STUCK only " + registry.diagnostics().waiters().size() + " of " + waiters
                        + " waiting");
                System.exit(1);
            }
            Thread.sleep(2);
        }
        long worst = 0;
        for (int i = 0; i < PROBES; i++) {
            CompletableFuture<Long> ran = new CompletableFuture<>();
            long start = System.nanoTime();
            virtual.newThread(() -> ran.complete(System.nanoTime())).start();
            try {
                worst = Math.max(worst, ran.get(10, TimeUnit.SECONDS) - start);
            } catch (TimeoutException e) {
                System.out.println("STARVED a virtual thread did not run within 10 s");
                System.exit(1);
            }
        }
        System.out.println("PROBED worst_us=" + worst / 1000 + " platform_threads="
                + ManagementFactory.getThreadMXBean().getThreadCount());
        done.await(2, TimeUnit.MINUTES);
        System.out.println("GRANTED " + granted.get());
    }
}
