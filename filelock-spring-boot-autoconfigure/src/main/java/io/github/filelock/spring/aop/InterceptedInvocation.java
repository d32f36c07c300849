package io.github.filelock.spring.aop;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockInterruptedException;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.FileLockTimeoutException;
import io.github.filelock.LockMode;
import io.github.filelock.spring.CurrentFileLock;
import io.github.filelock.spring.OnTimeout;
import io.github.filelock.spring.listener.FileLockListener;
import io.github.filelock.spring.listener.FileLockRequest;
import io.github.filelock.spring.listener.WaitOutcome;
import io.github.filelock.spring.returntype.AsyncLocking;
import io.github.filelock.spring.returntype.FileLockedInvocation;
import java.time.Duration;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.ProxyMethodInvocation;

/** One call that {@link FileLockInterceptor} intercepted, handed to the return type that runs it. */
final class InterceptedInvocation implements FileLockedInvocation {

    private static final Log log = LogFactory.getLog(FileLockInterceptor.class);

    private final MethodInvocation invocation;
    private final FileLockRequest request;
    private final FileLockRegistry registry;
    private final LockMode mode;
    private final Duration holdAtLeast;
    private final FileLockListener listener;

    InterceptedInvocation(MethodInvocation invocation, FileLockRequest request, FileLockRegistry registry,
            LockMode mode, Duration holdAtLeast, FileLockListener listener) {
        this.invocation = invocation;
        this.request = request;
        this.registry = registry;
        this.mode = mode;
        this.holdAtLeast = holdAtLeast;
        this.listener = listener;
    }

    @Override
    public FileLockRequest request() {
        return request;
    }

    // A clone per run: proceeding moves an invocation along the chain, so a second run needs a fresh one.
    @Override
    public @Nullable Object proceed() throws Throwable {
        MethodInvocation fresh = invocation instanceof ProxyMethodInvocation proxied
                ? proxied.invocableClone() : invocation;
        return fresh.proceed();
    }

    @Override
    public AsyncLocking startAsync() {
        return new AsyncLockedCall(registry, request, mode, holdAtLeast, listener.onRequest(request));
    }

    @Override
    public @Nullable Object callLocked(Work work, Supplier<? extends @Nullable Object> whenSkipped) throws Throwable {
        FileLockListener.Call call = listener.onRequest(request);
        long waitStart = System.nanoTime();
        FileLockHold hold;
        try {
            if (skipsWhenBusy()) {
                hold = registry.tryAcquire(request.lockName(), mode, request.timeout()).orElse(null);
                if (hold == null) {
                    call.notAcquired(WaitOutcome.SKIPPED, FileLockInterceptor.since(waitStart), null);
                    if (log.isDebugEnabled()) {
                        log.debug("Skipped " + request.method().getName() + ": lock '" + request.lockName()
                                + "' was not free within " + request.timeout());
                    }
                    return whenSkipped.get();
                }
            } else if (waitsForever(request)) {
                hold = registry.acquire(request.lockName(), mode);
            } else {
                hold = registry.acquire(request.lockName(), mode, request.timeout());
            }
        } catch (FileLockTimeoutException e) {
            if (request.onTimeout() == OnTimeout.SKIP) { // a -1 wait that the shutdown drain ended: SKIP still skips
                call.notAcquired(WaitOutcome.SKIPPED, FileLockInterceptor.since(waitStart), null);
                return whenSkipped.get();
            }
            call.notAcquired(WaitOutcome.TIMEOUT, FileLockInterceptor.since(waitStart), e);
            throw e;
        } catch (FileLockInterruptedException e) {
            call.notAcquired(WaitOutcome.INTERRUPTED, FileLockInterceptor.since(waitStart), e);
            throw e;
        } catch (RuntimeException | Error e) {
            call.notAcquired(WaitOutcome.ERROR, FileLockInterceptor.since(waitStart), e);
            throw e;
        }
        long holdStart = System.nanoTime();
        try {
            call.acquired(Duration.ofNanos(holdStart - waitStart));
            hold.whenLost(() -> {
                if (hold.isOpen()) { // a nested call of the same thread may have returned already
                    call.lost();
                }
            });
        } catch (RuntimeException | Error listenerFailure) {
            FileLockInterceptor.releaseAfterListenerFailure(hold, call, holdStart, listenerFailure);
            throw listenerFailure;
        }
        return runAndRelease(work, hold, call, holdStart);
    }

    /** Runs the work and releases the hold when it returns or throws. */
    private @Nullable Object runAndRelease(Work work, FileLockHold hold, FileLockListener.Call call, long holdStart)
            throws Throwable {
        Throwable failure = null;
        try (CurrentFileLock.Scope current = CurrentFileLock.enter(hold)) { // the method may ask for its hold
            return work.run();
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
                call.released(FileLockInterceptor.since(holdStart), failure);
            }
        }
    }

    // A skip is routine, not an error: a plain failed try, without the holder lookup and stack trace of a timeout
    // exception. A negative timeout waits until the lock is free, so it never skips.
    private boolean skipsWhenBusy() {
        return request.onTimeout() == OnTimeout.SKIP && !waitsForever(request);
    }

    /**
     * The annotation's and the properties' {@code -1} (any negative timeout): the registry's methods without a
     * timeout, because the registry refuses a negative one.
     */
    static boolean waitsForever(FileLockRequest request) {
        return request.timeout().isNegative();
    }
}
