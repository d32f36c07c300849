package io.github.filelock.spring;

import io.github.filelock.FileLockHold;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The hold of the {@code @FileLocked} method running on this thread, for what the method needs from its lock: its
 * {@linkplain FileLockHold#fencingToken() fencing token}, or whether it is still {@linkplain FileLockHold#isValid()
 * valid} before committing results.
 *
 * <pre>{@code
 * @FileLocked(name = "embeddings")
 * void rebuild() {
 *     store.write(index, CurrentFileLock.fencingToken()); // the store refuses a token lower than the last it saw
 * }
 * }</pre>
 *
 * <p>Synchronous methods only: the hold is set on the method's thread while its body runs, and the innermost
 * {@code @FileLocked} method wins when they nest. A method that returns a {@code CompletableFuture} or a Reactor type
 * finishes on other threads and sees none here; take the lock with {@code FileLockRegistry.acquireAsync} in such code
 * and ask the hold it completes with.
 */
public final class CurrentFileLock {

    // No initial value: a thread that only asks must not be left holding an empty deque.
    private static final ThreadLocal<Deque<FileLockHold>> HOLDS = new ThreadLocal<>();

    private CurrentFileLock() {
    }

    /** The innermost running {@code @FileLocked} method's hold on this thread, if any. */
    public static Optional<FileLockHold> find() {
        return Optional.ofNullable(innermost());
    }

    /**
     * The innermost running {@code @FileLocked} method's hold on this thread.
     *
     * @throws IllegalStateException when no {@code @FileLocked} method runs on this thread
     */
    public static FileLockHold get() {
        FileLockHold hold = innermost();
        if (hold == null) {
            throw new IllegalStateException("No @FileLocked method runs on thread " + Thread.currentThread().getName()
                    + ": CurrentFileLock is set only while a synchronous @FileLocked method runs, on its own thread"
                    + " (not in a CompletableFuture or Reactor continuation, nor in a call that bypassed the proxy,"
                    + " such as this.method() from the same bean).");
        }
        return hold;
    }

    /** The fencing token of {@link #get()}: see {@link FileLockHold#fencingToken()}. */
    public static long fencingToken() {
        return get().fencingToken();
    }

    /**
     * Makes {@code hold} current on this thread until the returned scope is closed. For the {@code @FileLocked}
     * interceptor; not needed in application code.
     */
    public static Scope enter(FileLockHold hold) {
        Deque<FileLockHold> holds = HOLDS.get();
        if (holds == null) {
            holds = new ArrayDeque<>();
            HOLDS.set(holds);
        }
        holds.push(hold);
        Deque<FileLockHold> entered = holds;
        return () -> {
            entered.pop();
            if (entered.isEmpty()) {
                HOLDS.remove(); // pooled threads keep no empty deque
            }
        };
    }

    private static @Nullable FileLockHold innermost() {
        Deque<FileLockHold> holds = HOLDS.get();
        return holds == null ? null : holds.peek();
    }

    /** Ends what {@link #enter} began, on the same thread. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
