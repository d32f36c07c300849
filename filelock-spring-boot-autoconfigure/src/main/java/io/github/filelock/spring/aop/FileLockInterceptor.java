package io.github.filelock.spring.aop;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockInterruptedException;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.FileLockTimeoutException;
import io.github.filelock.spring.CurrentFileLock;
import io.github.filelock.spring.OnTimeout;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.expression.BeanResolver;

/**
 * Takes the lock, runs the method, releases the lock. Everything else (finding the annotation, parsing,
 * timeouts, observing) lives in the collaborators, so this stays the one obviously-correct place where a
 * hold is opened and closed. Methods with an asynchronous result are handed to {@link FutureLocking} or
 * {@link ReactorLocking}, which release when the result completes.
 */
public final class FileLockInterceptor implements MethodInterceptor {

    private static final Log log = LogFactory.getLog(FileLockInterceptor.class);

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
        Class<?> targetClass = target != null ? AopUtils.getTargetClass(target) : invocation.getMethod().getDeclaringClass();
        Optional<FileLockedOperation> found = operations.get(invocation.getMethod(), targetClass);
        if (found.isEmpty()) {
            return invocation.proceed();
        }
        FileLockedOperation operation = found.get();
        FileLockRequest request = new FileLockRequest(operation.name(), lockName(operation, invocation, target, targetClass),
                timeoutOf(operation), operation.onTimeout(), operation.method());
        FileLockRegistry registry = registries.get().registryFor(operation.name());
        Duration holdAtLeast = holdAtLeastOf(operation);
        if (operation.resultKind().isAsync()) {
            // A future waits once, from the call; a publisher waits at each subscription, so each is a request.
            Supplier<AsyncLockedCall> newCall = () -> new AsyncLockedCall(registry, request, operation.mode(),
                    holdAtLeast, listener.get().onRequest(request));
            return operation.resultKind() == ResultKind.COMPLETION_STAGE ? FutureLocking.run(newCall.get(), invocation)
                    : ReactorLocking.run(newCall, invocation, operation.resultKind());
        }
        FileLockListener.Call call = listener.get().onRequest(request);
        long waitStart = System.nanoTime();
        FileLockHold hold;
        try {
            if (skipsWhenBusy(operation, request)) {
                hold = registry.tryAcquire(request.lockName(), operation.mode(), request.timeout()).orElse(null);
                if (hold == null) {
                    call.notAcquired(WaitOutcome.SKIPPED, since(waitStart), null);
                    if (log.isDebugEnabled()) {
                        log.debug("Skipped " + operation.method().getName() + ": lock '" + request.lockName()
                                + "' was not free within " + request.timeout());
                    }
                    return operation.skipValue();
                }
            } else {
                hold = registry.acquire(request.lockName(), operation.mode(), request.timeout());
            }
        } catch (FileLockTimeoutException e) {
            call.notAcquired(WaitOutcome.TIMEOUT, since(waitStart), e);
            throw e;
        } catch (FileLockInterruptedException e) {
            call.notAcquired(WaitOutcome.INTERRUPTED, since(waitStart), e);
            throw e;
        } catch (RuntimeException | Error e) {
            call.notAcquired(WaitOutcome.ERROR, since(waitStart), e);
            throw e;
        }
        long holdStart = System.nanoTime();
        try {
            call.acquired(Duration.ofNanos(holdStart - waitStart));
        } catch (RuntimeException | Error listenerFailure) {
            releaseAfterListenerFailure(hold, call, holdStart, listenerFailure);
            throw listenerFailure;
        }
        return proceedAndRelease(invocation, hold, holdAtLeast, call, holdStart);
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

    /** Runs the method and releases the hold when it returns or throws (asynchronous results go elsewhere). */
    private @Nullable Object proceedAndRelease(MethodInvocation invocation, FileLockHold hold, Duration holdAtLeast,
            FileLockListener.Call call, long holdStart) throws Throwable {
        Throwable failure = null;
        try (CurrentFileLock.Scope current = CurrentFileLock.enter(hold)) { // the method may ask for its hold
            return invocation.proceed();
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            try {
                hold.closeHoldingAtLeast(holdAtLeast); // the core keeps the lock for the rest of the minimum
            } catch (RuntimeException releaseFailure) {
                if (failure == null) {
                    throw releaseFailure;
                }
                failure.addSuppressed(releaseFailure);
            } finally {
                call.released(since(holdStart), failure);
            }
        }
    }

    // A skip is routine, not an error: a plain failed try, without the holder lookup and stack trace of a timeout
    // exception. A negative timeout waits until the lock is free, so it never skips.
    private static boolean skipsWhenBusy(FileLockedOperation operation, FileLockRequest request) {
        return operation.onTimeout() == OnTimeout.SKIP && !request.timeout().isNegative();
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
