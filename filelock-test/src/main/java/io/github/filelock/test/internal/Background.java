package io.github.filelock.test.internal;

import io.github.filelock.LockMode;
import io.github.filelock.spi.LockSlot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;

/** A blocking {@link LockSlot#lock} on a thread of its own, as the engine runs it (never the common pool). */
public final class Background {

    private Background() {
    }

    /** Completes with what lock returned; {@code System.nanoTime()} at the return is in {@link Result}. */
    public static CompletableFuture<Result> lock(LockSlot slot, LockMode mode) {
        CompletableFuture<Result> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                boolean granted = slot.lock(mode);
                result.complete(new Result(granted, System.nanoTime()));
            } catch (IOException e) {
                result.completeExceptionally(new UncheckedIOException(e));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "lock-" + slot);
        t.setDaemon(true);
        t.start();
        return result;
    }

    public record Result(boolean granted, long nanos) {
    }
}
