package io.github.filelock.spring.listener;

import io.github.filelock.spring.OnTimeout;
import java.lang.reflect.Method;
import java.time.Duration;

/**
 * One call's request for a lock, as {@link FileLockListener}s see it.
 *
 * @param name the annotation's name; bounded, so safe as a metric tag
 * @param lockName the name actually locked: {@code name}, or {@code name:key} with the key's {@code :} and {@code %}
 *     percent-encoded ({@code doc:42}); unbounded
 * @param timeout the effective timeout (zero: one attempt; negative: forever)
 * @param onTimeout what happens when the lock is not free in time
 * @param method the annotated method
 * @param asyncResult whether the method returns an asynchronous result ({@code CompletableFuture},
 *     {@code CompletionStage}, {@code Mono}, {@code Flux}, or another that a {@code FileLockedReturnType} follows):
 *     the hold then ends when that result completes, usually on another thread than the one it began on, so a
 *     listener must not keep thread-bound state (a scope, an MDC entry) from {@code acquired} to {@code released}
 */
public record FileLockRequest(String name, String lockName, Duration timeout, OnTimeout onTimeout, Method method,
        boolean asyncResult) {
}
