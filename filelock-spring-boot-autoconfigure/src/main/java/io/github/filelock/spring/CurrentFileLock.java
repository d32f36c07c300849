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
 * <p>The hold is set on the method's thread while its body runs, and the innermost {@code @FileLocked} method wins
 * when they nest.
 *
 * <p><b>Learning that the lock was lost</b> (a {@code soft-lease} marker broken after its lease, a postgres session
 * that ended): a synchronous method checks {@code CurrentFileLock.get().isValid()} before it commits its results, or
 * registers {@link FileLockHold#whenLost} once; with {@code filelock.locks.<name>.interrupt-on-loss=true} its thread is
 * also interrupted. A method that returns a {@code CompletableFuture}, a {@code Mono} or a {@code Flux} finishes on
 * other threads, which a per-thread accessor cannot reach: its body still runs with the hold set here (when the lock
 * has arrived, while it builds its stages), so it captures the hold there and hands it to its stages:
 *
 * <pre>{@code
 * @FileLocked(name = "export")
 * CompletableFuture<Report> export() {
 *     FileLockHold hold = CurrentFileLock.get();      // captured while the body runs
 *     CompletableFuture<Report> work = CompletableFuture.supplyAsync(this::build, pool);
 *     hold.whenLost(() -> work.cancel(true));       // or check hold.isValid() before committing
 *     return work;
 * }
 * }</pre>
 *
 * A Reactor method's operators also find the hold in the Reactor context under {@code FileLockHold.class}
 * ({@code Mono.deferContextual(ctx -> ...ctx.get(FileLockHold.class))}). Interrupting on loss does not apply to them:
 * no thread holds their lock.
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
                    + " (not in a CompletableFuture or Reactor continuation: capture it in the method body instead,"
                    + " nor in a call that bypassed the proxy, such as this.method() from the same bean).");
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
