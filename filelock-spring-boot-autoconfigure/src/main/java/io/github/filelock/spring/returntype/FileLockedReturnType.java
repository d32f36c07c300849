package io.github.filelock.spring.returntype;

import io.github.filelock.spring.InvalidFileLockedMethodException;
import io.github.filelock.spring.OnTimeout;
import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;

/**
 * Runs the {@code @FileLocked} methods that return one kind of result under their lock, until that result says the
 * work is done. Beans of this type are asked in order ({@code @Order} or {@code Ordered}); the first that
 * {@link #supports(Method) supports} a method handles every call of that method.
 *
 * <p>The auto-configuration registers the built-in ones: {@code CompletableFuture} and {@code CompletionStage},
 * Reactor's {@code Mono} and {@code Flux} when Reactor is on the class path, Kotlin {@code suspend} functions and
 * {@code Flow} when kotlinx-coroutines-reactor is (all at {@code Ordered.LOWEST_PRECEDENCE - 100}), and the
 * synchronous one, which handles every return type no other bean supports (it is asked last, whatever its order) and
 * refuses the asynchronous ones it cannot follow. Declare a bean of this type to teach {@code @FileLocked} a result
 * type of your own (RxJava, a library's future) without changing the interceptor.
 */
public interface FileLockedReturnType {

    /** Whether this handles methods declared to return {@code returnType}. */
    boolean supports(Class<?> returnType);

    /**
     * Whether this handles {@code method}; the default asks {@link #supports(Class)} with its declared return type.
     * Override it when the return type alone does not tell, as for a Kotlin {@code suspend} function (declared to
     * return {@code Object}).
     */
    default boolean supports(Method method) {
        return supports(method.getReturnType());
    }

    /**
     * Whether the hold may outlive the method call (the lock is released when the returned result completes): the
     * hold then usually ends on another thread, which listeners are told ({@code FileLockRequest.asyncResult()}).
     */
    boolean isAsync();

    /**
     * Checks, at start-up, a method this handles; the default accepts every method.
     *
     * @throws InvalidFileLockedMethodException when the method cannot work as written; start-up fails with it
     */
    default void validate(Method method, OnTimeout onTimeout) {
    }

    /**
     * Runs one call of the method under its lock and returns what the caller gets: the method's own result, or
     * one of the same type that completes once the lock is released.
     */
    @Nullable Object invoke(FileLockedInvocation invocation) throws Throwable;
}
