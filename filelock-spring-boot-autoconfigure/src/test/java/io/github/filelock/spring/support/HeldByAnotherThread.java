package io.github.filelock.spring.support;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Holds a lock on a separate thread until closed: "someone else has it" for the thread under test. */
public final class HeldByAnotherThread implements AutoCloseable {

    private final CountDownLatch taken = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final Thread thread;

    public HeldByAnotherThread(FileLockRegistry registry, String name) throws InterruptedException {
        thread = new Thread(() -> {
            try (FileLockHold hold = registry.acquire(name, Duration.ofSeconds(30))) {
                taken.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "holder-of-" + name);
        thread.start();
        if (!taken.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("holder thread did not get " + name);
        }
    }

    @Override
    public void close() throws InterruptedException {
        release.countDown();
        thread.join(30_000);
    }
}
