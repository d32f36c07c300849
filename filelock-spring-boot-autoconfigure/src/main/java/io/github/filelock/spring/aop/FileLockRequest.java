package io.github.filelock.spring.aop;

import io.github.filelock.spring.OnTimeout;
import java.lang.reflect.Method;
import java.time.Duration;

/**
 * One call's request for a lock, as {@link FileLockListener}s see it.
 *
 * @param name the annotation's name; bounded, so safe as a metric tag
 * @param lockName the name actually locked: {@code name}, or {@code name + ":" + key}; unbounded
 * @param timeout the effective timeout (zero: one attempt; negative: forever)
 * @param onTimeout what happens when the lock is not free in time
 * @param method the annotated method
 */
public record FileLockRequest(String name, String lockName, Duration timeout, OnTimeout onTimeout, Method method) {
}
