package io.github.filelock.spring.aop;

import io.github.filelock.LockMode;
import io.github.filelock.spring.OnTimeout;
import io.github.filelock.spring.returntype.FileLockedReturnType;
import java.lang.reflect.Method;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One {@link io.github.filelock.spring.FileLocked} method, parsed once: everything the interceptor needs on
 * each call except the argument-dependent key.
 *
 * @param name the annotation's lock name (without key); metrics and per-name properties use it
 * @param method the annotated method as the target class declares it
 * @param key the parsed key expression, or null when the lock name has no key
 * @param timeout the annotation's own timeout, or null to use {@code filelock.locks.<name>.timeout} or the
 *     default at call time
 * @param onTimeout FAIL or SKIP
 * @param mode EXCLUSIVE or SHARED
 * @param returnType runs each call under the lock and decides, by the method's return type, when it is released
 * @param holdAtLeast the annotation's own minimum hold time, or null to use
 *     {@code filelock.locks.<name>.hold-at-least} (else none) at call time
 */
record FileLockedOperation(String name, Method method, @Nullable LockKeyExpression key,
        @Nullable Duration timeout, OnTimeout onTimeout, LockMode mode, FileLockedReturnType returnType,
        @Nullable Duration holdAtLeast) {
}
