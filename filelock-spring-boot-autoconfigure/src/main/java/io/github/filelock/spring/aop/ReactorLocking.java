package io.github.filelock.spring.aop;

import io.github.filelock.FileLockHold;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInvocation;
import org.reactivestreams.Publisher;
import org.springframework.aop.ProxyMethodInvocation;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs a {@code @FileLocked} method that returns a {@code Mono} or {@code Flux}. Only loaded when Reactor is on
 * the classpath. Subscribing, not assembling, takes the lock, so every subscription (a retry too) locks anew;
 * the lock is released when the publisher completes, errors or is cancelled, and cancelling while waiting stops
 * the wait.
 */
final class ReactorLocking {

    private ReactorLocking() {
    }

    static Object run(Supplier<AsyncLockedCall> newCall, MethodInvocation invocation, ResultKind kind) {
        if (kind == ResultKind.MONO) {
            return Mono.defer(() -> {
                AsyncLockedCall locked = newCall.get();
                return Mono.usingWhen(lock(locked), hold -> Mono.from(invoke(invocation)), hold -> release(locked, null),
                        (hold, error) -> release(locked, error), hold -> release(locked, cancelled()));
            });
        }
        return Flux.defer(() -> {
            AsyncLockedCall locked = newCall.get();
            return Flux.usingWhen(lock(locked), hold -> invoke(invocation), hold -> release(locked, null),
                    (hold, error) -> release(locked, error), hold -> release(locked, cancelled()));
        });
    }

    /** The hold, or empty for SKIP; a timeout or error as the error signal. */
    private static Mono<FileLockHold> lock(AsyncLockedCall locked) {
        return Mono.<Object>fromFuture(locked::acquire, false)
                .doOnCancel(() -> locked.notAcquired(new CancellationException("subscription cancelled while waiting")))
                .onErrorResume(error -> locked.notAcquired(error) ? Mono.empty() : Mono.error(AsyncLockedCall.unwrap(error)))
                .flatMap(outcome -> held(locked, outcome))
                .filter(locked::acquired)
                // a hold (or Optional hold) that arrives just as the subscriber cancels is dropped: release it
                .doOnDiscard(Object.class, ReactorLocking::releaseDropped);
    }

    private static Mono<FileLockHold> held(AsyncLockedCall locked, Object outcome) {
        FileLockHold hold = AsyncLockedCall.holdOf(outcome);
        if (hold == null) {
            locked.skipped();
            return Mono.empty();
        }
        return Mono.just(hold);
    }

    private static void releaseDropped(Object dropped) {
        if (dropped instanceof FileLockHold || dropped instanceof Optional<?>) {
            FileLockHold hold = AsyncLockedCall.holdOf(dropped);
            if (hold != null) {
                hold.close();
            }
        }
    }

    // Each subscription runs the rest of the interceptor chain again, so it needs its own invocation.
    private static Publisher<?> invoke(MethodInvocation invocation) {
        try {
            MethodInvocation fresh = invocation instanceof ProxyMethodInvocation proxied
                    ? proxied.invocableClone() : invocation;
            Object result = fresh.proceed();
            return result != null ? (Publisher<?>) result : Mono.empty();
        } catch (Throwable t) {
            return Mono.error(t);
        }
    }

    private static Mono<Void> release(AsyncLockedCall locked, Throwable failure) {
        return Mono.fromRunnable(() -> locked.release(failure));
    }

    private static Throwable cancelled() {
        return new CancellationException("subscription cancelled");
    }
}
