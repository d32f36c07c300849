package io.github.filelock.spring.aop;

import io.github.filelock.FileLockHold;
import io.github.filelock.spring.CurrentFileLock;
import io.github.filelock.spring.returntype.AsyncLocking;
import io.github.filelock.spring.returntype.FileLockedInvocation;
import java.util.concurrent.CancellationException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Holds a lock around a publisher: subscribing takes it, termination or cancellation releases it. Shared by the
 * Reactor and Kotlin return types, which differ only in how they turn the method's result into a publisher.
 */
final class ReactorLocking {

    private ReactorLocking() {
    }

    /** A Mono that locks at each subscription, runs the method and releases when the method's Mono terminates. */
    static Mono<?> mono(FileLockedInvocation invocation) {
        return Mono.defer(() -> {
            AsyncLocking locked = invocation.startAsync();
            return Mono.usingWhen(lock(locked), hold -> Mono.from(runMethod(invocation, hold,
                    Publisher.class::cast)),
                    hold -> release(locked, null), (hold, error) -> release(locked, error),
                    hold -> release(locked, cancelled()));
        });
    }

    /** The same for many elements; {@code toPublisher} adapts the method's result (a Flux, a Kotlin Flow). */
    static Flux<?> flux(FileLockedInvocation invocation, Function<Object, Publisher<?>> toPublisher) {
        return Flux.defer(() -> {
            AsyncLocking locked = invocation.startAsync();
            return Flux.usingWhen(lock(locked), hold -> runMethod(invocation, hold, toPublisher),
                    hold -> release(locked, null), (hold, error) -> release(locked, error),
                    hold -> release(locked, cancelled()));
        });
    }

    /** The hold, or empty for SKIP; a timeout or error as the error signal. */
    private static Mono<FileLockHold> lock(AsyncLocking locked) {
        return Mono.fromFuture(locked::acquire, false)
                .doOnCancel(() -> locked.notAcquired(new CancellationException("subscription cancelled while waiting")))
                .onErrorResume(error -> locked.notAcquired(error) ? Mono.empty()
                        : Mono.error(AsyncLockedCall.unwrap(error)))
                .filter(locked::acquired)
                // a hold that arrives just as the subscriber cancels is dropped by fromFuture: release it
                .doOnDiscard(FileLockHold.class, FileLockHold::close);
    }

    // Each subscription runs the rest of the interceptor chain again: proceed() gives it its own invocation. The method
    // body finds its hold through CurrentFileLock while it builds the pipeline, and its operators in the Reactor
    // context under FileLockHold.class.
    private static Publisher<?> runMethod(FileLockedInvocation invocation, FileLockHold hold,
            Function<Object, Publisher<?>> toPublisher) {
        try (CurrentFileLock.Scope current = CurrentFileLock.enter(hold)) {
            Object result = invocation.proceed();
            return result != null ? Flux.from(toPublisher.apply(result))
                    .contextWrite(context -> context.put(FileLockHold.class, hold)) : Mono.empty();
        } catch (Throwable t) {
            return Mono.error(t);
        }
    }

    private static Mono<Void> release(AsyncLocking locked, @Nullable Throwable failure) {
        return Mono.fromRunnable(() -> locked.release(failure));
    }

    private static Throwable cancelled() {
        return new CancellationException("subscription cancelled");
    }
}
