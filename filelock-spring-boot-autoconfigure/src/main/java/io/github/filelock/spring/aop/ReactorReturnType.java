package io.github.filelock.spring.aop;

import io.github.filelock.FileLockHold;
import io.github.filelock.spring.returntype.AsyncLocking;
import io.github.filelock.spring.returntype.FileLockedInvocation;
import io.github.filelock.spring.returntype.FileLockedReturnType;
import java.util.concurrent.CancellationException;
import org.reactivestreams.Publisher;
import org.springframework.core.Ordered;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs a {@code @FileLocked} method that returns a {@code Mono} or {@code Flux}. Only created when Reactor is on
 * the classpath. Subscribing, not assembling, takes the lock, so every subscription (a retry too) locks anew;
 * the lock is released when the publisher completes, errors or is cancelled, and cancelling while waiting stops
 * the wait.
 */
public final class ReactorReturnType implements FileLockedReturnType, Ordered {

    @Override
    public boolean supports(Class<?> returnType) {
        return returnType == Mono.class || returnType == Flux.class;
    }

    @Override
    public boolean isAsync() {
        return true;
    }

    @Override
    public Object invoke(FileLockedInvocation invocation) {
        if (invocation.request().method().getReturnType() == Mono.class) {
            return Mono.defer(() -> {
                AsyncLocking locked = invocation.startAsync();
                return Mono.usingWhen(lock(locked), hold -> Mono.from(runMethod(invocation)),
                        hold -> release(locked, null),
                        (hold, error) -> release(locked, error), hold -> release(locked, cancelled()));
            });
        }
        return Flux.defer(() -> {
            AsyncLocking locked = invocation.startAsync();
            return Flux.usingWhen(lock(locked), hold -> runMethod(invocation), hold -> release(locked, null),
                    (hold, error) -> release(locked, error), hold -> release(locked, cancelled()));
        });
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 100;
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

    // Each subscription runs the rest of the interceptor chain again: proceed() gives it its own invocation.
    private static Publisher<?> runMethod(FileLockedInvocation invocation) {
        try {
            Object result = invocation.proceed();
            return result != null ? (Publisher<?>) result : Mono.empty();
        } catch (Throwable t) {
            return Mono.error(t);
        }
    }

    private static Mono<Void> release(AsyncLocking locked, Throwable failure) {
        return Mono.fromRunnable(() -> locked.release(failure));
    }

    private static Throwable cancelled() {
        return new CancellationException("subscription cancelled");
    }
}
