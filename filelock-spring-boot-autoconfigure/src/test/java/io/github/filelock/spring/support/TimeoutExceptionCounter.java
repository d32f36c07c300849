package io.github.filelock.spring.support;

import io.github.filelock.internal.TestHooks;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the timeout exceptions the engine builds (each one inspects the lock and fills a stack trace), through the
 * engine's test hook, until closed. Proves that a skip is a plain failed try.
 */
public final class TimeoutExceptionCounter implements AutoCloseable {

    private final AtomicInteger built = new AtomicInteger();

    public TimeoutExceptionCounter() {
        TestHooks.install((point, subject) -> {
            if (point.equals("LockEngine.timeoutException")) {
                built.incrementAndGet();
            }
        });
    }

    public int built() {
        return built.get();
    }

    @Override
    public void close() {
        TestHooks.install(null);
    }
}
