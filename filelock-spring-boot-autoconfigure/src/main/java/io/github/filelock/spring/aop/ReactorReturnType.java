package io.github.filelock.spring.aop;

import io.github.filelock.spring.returntype.FileLockedInvocation;
import io.github.filelock.spring.returntype.FileLockedReturnType;
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
            return ReactorLocking.mono(invocation);
        }
        return ReactorLocking.flux(invocation, Publisher.class::cast);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 100;
    }
}
