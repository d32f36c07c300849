package io.github.filelock.spring.listener;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Hears each {@code @FileLocked} call: the wait for the lock and the hold. This is the seam for metrics,
 * observations and logging; the interceptor itself only takes, runs and releases. Declare beans of this type
 * and the auto-configuration calls them in {@code @Order}.
 *
 * <p>{@link #onRequest} runs on the calling thread before the wait; the {@link Call} it returns receives the
 * rest of that one call's events, so it may keep per-call state (a timer sample, an open observation).
 *
 * <p>Listeners should not throw. One that does never leaves the lock held: if {@link Call#acquired} throws, the
 * hold is released at once, the method does not run, every listener hears {@link Call#released} with that
 * exception, and the call fails with it (a returned future or publisher completes with it). An exception from
 * {@code notAcquired} or {@code released} likewise fails the call after the lock is released.
 */
@FunctionalInterface
public interface FileLockListener {

    /** Hears nothing. */
    FileLockListener NONE = request -> Call.IGNORED;

    Call onRequest(FileLockRequest request);

    /**
     * The events of one call, in order: either {@code acquired} then {@code released} (with {@code lost} between them
     * if the lock was lost meanwhile), or {@code notAcquired}.
     */
    interface Call {

        Call IGNORED = new Call() {
        };

        /** The lock was taken after waiting {@code waited}; the method runs next. */
        default void acquired(Duration waited) {
        }

        /**
         * The lock was not taken; the method does not run.
         *
         * @param cause why; null for a synchronous SKIPPED, which gives up with a plain failed try and builds no
         *     exception
         */
        default void notAcquired(WaitOutcome outcome, Duration waited, @Nullable Throwable cause) {
        }

        /**
         * The lock was found lost while the method held it (a soft-lease marker broken after its lease, a database
         * session that ended): another process may hold it now. Between {@code acquired} and {@code released}, at most
         * once, on the thread that found the loss (a heartbeat, a session check), so it must be quick and not block.
         */
        default void lost() {
        }

        /** The method finished (with {@code failure}, or null on success) and the hold was released. */
        default void released(Duration held, @Nullable Throwable failure) {
        }
    }

    /** One listener that forwards to each of {@code listeners} in order. */
    static FileLockListener of(List<? extends FileLockListener> listeners) {
        if (listeners.isEmpty()) {
            return NONE;
        }
        if (listeners.size() == 1) {
            return listeners.get(0);
        }
        FileLockListener[] all = listeners.toArray(FileLockListener[]::new);
        return request -> {
            Call[] calls = new Call[all.length]; // a loop, not a stream: this runs on every locked call
            for (int i = 0; i < all.length; i++) {
                calls[i] = all[i].onRequest(request);
            }
            return new Call() {
                @Override
                public void acquired(Duration waited) {
                    toEach(calls, call -> call.acquired(waited));
                }

                @Override
                public void notAcquired(WaitOutcome outcome, Duration waited, @Nullable Throwable cause) {
                    toEach(calls, call -> call.notAcquired(outcome, waited, cause));
                }

                @Override
                public void lost() {
                    toEach(calls, Call::lost);
                }

                @Override
                public void released(Duration held, @Nullable Throwable failure) {
                    toEach(calls, call -> call.released(held, failure));
                }
            };
        };
    }

    // Every listener hears every event even if one throws, so each sees a matching acquired/released pair.
    private static void toEach(Call[] calls, Consumer<Call> event) {
        RuntimeException first = null;
        for (Call call : calls) {
            try {
                event.accept(call);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
