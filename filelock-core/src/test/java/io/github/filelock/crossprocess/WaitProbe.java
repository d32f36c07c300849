package io.github.filelock.crossprocess;

import io.github.filelock.internal.TestHooks;
import io.github.filelock.internal.VirtualThreads;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts, through the engine's test hooks, where waits block: blocking calls into the backend ({@code LockSlot.lock},
 * the blocking {@code flock}) made on virtual threads, the most threads blocked in waits at once, and the polls of
 * waits beyond the bound. Install before the test's waits, close after.
 */
final class WaitProbe implements AutoCloseable {

    final AtomicInteger blockingOnVirtualThreads = new AtomicInteger();
    final AtomicInteger blockingCalls = new AtomicInteger();
    final AtomicInteger peakBlocked = new AtomicInteger();
    final AtomicInteger polls = new AtomicInteger();
    private final AtomicInteger blockedNow = new AtomicInteger();

    WaitProbe() {
        TestHooks.install(this::reached);
    }

    private void reached(String point, Object subject) {
        switch (point) {
            case "KeyEntry.blocking" -> {
                blockingCalls.incrementAndGet();
                peakBlocked.accumulateAndGet(blockedNow.incrementAndGet(), Math::max);
                countIfVirtual();
            }
            case "FlockFile.lock" -> countIfVirtual();
            case "KeyEntry.unblocked" -> blockedNow.decrementAndGet();
            case "KeyEntry.polling" -> polls.incrementAndGet();
            default -> {
            }
        }
    }

    private void countIfVirtual() {
        if (VirtualThreads.isVirtual(Thread.currentThread())) {
            blockingOnVirtualThreads.incrementAndGet();
        }
    }

    @Override
    public void close() {
        TestHooks.install(null);
    }
}
