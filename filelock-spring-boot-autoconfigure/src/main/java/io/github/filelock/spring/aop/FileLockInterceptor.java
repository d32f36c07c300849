package io.github.filelock.spring.aop;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.spring.FileLockRegistryRouter;
import io.github.filelock.spring.listener.FileLockListener;
import io.github.filelock.spring.listener.FileLockRequest;
import io.github.filelock.spring.returntype.FileLockedReturnType;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.expression.BeanResolver;

/**
 * Finds the {@code @FileLocked} operation of a call, works out what to lock (name, key, timeout, registry) and hands
 * the call to the {@link FileLockedReturnType} that the operation's return type chose, which takes the lock, runs
 * the method and releases the lock when the result says the work is done. Parsing, validation and observing live
 * in the collaborators.
 */
public final class FileLockInterceptor implements MethodInterceptor {

    private final FileLockedOperationSource operations;
    private final Supplier<FileLockRegistryRouter> registries;
    private final LockTimeoutDefaults timeoutDefaults;
    private final HoldAtLeastDefaults holdAtLeastDefaults;
    private final Supplier<FileLockListener> listener;
    private final @Nullable BeanResolver beanResolver;

    /**
     * The registries and listener are suppliers so that creating the advisor (which happens early, while the
     * context creates its post-processors) does not drag those beans and their dependencies in early.
     */
    public FileLockInterceptor(FileLockedOperationSource operations, Supplier<FileLockRegistryRouter> registries,
            LockTimeoutDefaults timeoutDefaults, HoldAtLeastDefaults holdAtLeastDefaults,
            Supplier<FileLockListener> listener, @Nullable BeanResolver beanResolver) {
        this.operations = operations;
        this.registries = registries;
        this.timeoutDefaults = timeoutDefaults;
        this.holdAtLeastDefaults = holdAtLeastDefaults;
        this.listener = listener;
        this.beanResolver = beanResolver;
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        Object target = invocation.getThis();
        Class<?> targetClass = target != null ? AopUtils.getTargetClass(target)
                : invocation.getMethod().getDeclaringClass();
        Optional<FileLockedOperation> found = operations.get(invocation.getMethod(), targetClass);
        if (found.isEmpty()) {
            return invocation.proceed();
        }
        FileLockedOperation operation = found.get();
        FileLockRequest request = new FileLockRequest(operation.name(),
                lockName(operation, invocation, target, targetClass),
                timeoutOf(operation), operation.onTimeout(), operation.method(), operation.returnType().isAsync());
        FileLockRegistry registry = registries.get().registryFor(operation.name());
        return operation.returnType().invoke(new InterceptedInvocation(invocation, request, registry, operation.mode(),
                holdAtLeastOf(operation), listener.get()));
    }

    /**
     * A listener threw as the lock arrived: the method does not run, the call fails with that exception, and the
     * hold is released first, so a broken listener (or ObservationHandler) can never leave a lock held.
     */
    static void releaseAfterListenerFailure(FileLockHold hold, FileLockListener.Call call, long holdStart,
            Throwable listenerFailure) {
        try {
            hold.close();
        } catch (RuntimeException releaseFailure) {
            listenerFailure.addSuppressed(releaseFailure);
        }
        try {
            call.released(since(holdStart), listenerFailure); // lets the listeners undo what acquired began
        } catch (RuntimeException | Error again) {
            if (again != listenerFailure) {
                listenerFailure.addSuppressed(again);
            }
        }
    }

    private String lockName(FileLockedOperation operation, MethodInvocation invocation, @Nullable Object target,
            Class<?> targetClass) {
        LockKeyExpression key = operation.key();
        if (key == null) {
            return operation.name();
        }
        return LockKeyExpression.lockName(operation.name(), key.evaluate(operation.method(), invocation.getArguments(),
                target, targetClass, beanResolver));
    }

    private Duration timeoutOf(FileLockedOperation operation) {
        Duration own = operation.timeout();
        return own != null ? own : timeoutDefaults.timeoutFor(operation.name());
    }

    private Duration holdAtLeastOf(FileLockedOperation operation) {
        Duration own = operation.holdAtLeast();
        return own != null ? own : holdAtLeastDefaults.holdAtLeastFor(operation.name());
    }

    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
