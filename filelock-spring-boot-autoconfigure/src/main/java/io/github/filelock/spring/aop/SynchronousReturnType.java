package io.github.filelock.spring.aop;

import io.github.filelock.spring.InvalidFileLockedMethodException;
import io.github.filelock.spring.OnTimeout;
import io.github.filelock.spring.returntype.FileLockedInvocation;
import io.github.filelock.spring.returntype.FileLockedReturnType;
import java.lang.reflect.Method;
import java.util.Iterator;
import java.util.Spliterator;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.stream.BaseStream;
import org.jspecify.annotations.Nullable;
import org.springframework.core.KotlinDetector;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;

/**
 * Holds the lock while the method runs: released when it returns or throws. It handles every return type no other
 * {@link FileLockedReturnType} supports, so it refuses the asynchronous ones left over, whose work would still run
 * after the release, and the lazy ones ({@code Stream}, {@code Iterator}) whose elements the caller pulls after the
 * release.
 */
public final class SynchronousReturnType implements FileLockedReturnType, Ordered {

    static final String ASYNC_ACTION = "Declare the method to return CompletableFuture, CompletionStage, Mono or Flux"
            + " (the lock is then held until the result completes), or lock inside the asynchronous work with"
            + " FileLockRegistry.acquireAsync.";
    static final String LAZY_ACTION = "Return a collection (for example stream.toList()) so the work finishes while"
            + " the lock is held, or return a Flux (the lock is then held until it terminates).";
    static final String KOTLIN_ACTION = "Add org.jetbrains.kotlinx:kotlinx-coroutines-reactor (with reactor-core) to"
            + " the class path: @FileLocked then holds the lock for a whole suspend function and for each collection"
            + " of a cold Flow; or lock inside the coroutine.";
    static final String SKIP_ACTION = "Return a wrapper type (Integer, Boolean, ...), an Optional or void, or use"
            + " onTimeout = OnTimeout.FAIL.";

    private static final @Nullable Class<?> PUBLISHER = ClassUtils.isPresent("org.reactivestreams.Publisher",
            SynchronousReturnType.class.getClassLoader())
                    ? ClassUtils.resolveClassName("org.reactivestreams.Publisher",
                            SynchronousReturnType.class.getClassLoader())
                    : null;

    private static final @Nullable Class<?> FLOW = ClassUtils.isPresent("kotlinx.coroutines.flow.Flow",
            SynchronousReturnType.class.getClassLoader())
                    ? ClassUtils.resolveClassName("kotlinx.coroutines.flow.Flow",
                            SynchronousReturnType.class.getClassLoader())
                    : null;

    @Override
    public boolean supports(Class<?> returnType) {
        return true;
    }

    @Override
    public boolean isAsync() {
        return false;
    }

    @Override
    public void validate(Method method, OnTimeout onTimeout) {
        Class<?> returnType = method.getReturnType();
        if (KotlinDetector.isSuspendingFunction(method)) {
            // without kotlinx-coroutines-reactor Spring calls it as a plain method that returns at the first suspension
            throw new InvalidFileLockedMethodException(null, method, "the method is a Kotlin suspend function, which"
                    + " @FileLocked can only follow to its end with kotlinx-coroutines-reactor on the class path, so"
                    + " the lock would be released at its first suspension", KOTLIN_ACTION, null);
        }
        if (FLOW != null && FLOW.isAssignableFrom(returnType)) {
            throw new InvalidFileLockedMethodException(null, method, "the method returns " + returnType.getName()
                    + ", a Kotlin Flow that is collected after the method returns; @FileLocked follows only a cold"
                    + " kotlinx.coroutines.flow.Flow, and only with kotlinx-coroutines-reactor on the class path"
                    + " (a SharedFlow or StateFlow never completes)", KOTLIN_ACTION, null);
        }
        if (CompletionStage.class.isAssignableFrom(returnType) || Future.class.isAssignableFrom(returnType)
                || (PUBLISHER != null && PUBLISHER.isAssignableFrom(returnType))) {
            throw new InvalidFileLockedMethodException(null, method, "the method returns " + returnType.getName()
                    + ", an asynchronous result that @FileLocked cannot follow to its completion, so the lock would"
                    + " be released while the work still runs", ASYNC_ACTION, null);
        }
        if (BaseStream.class.isAssignableFrom(returnType) || Iterator.class.isAssignableFrom(returnType)
                || Spliterator.class.isAssignableFrom(returnType)) {
            // lazy: the caller pulls the elements, so the work runs after the method returned and released
            throw new InvalidFileLockedMethodException(null, method, "the method returns " + returnType.getName()
                    + ", a lazy result whose elements are produced after the method returns, so they would be"
                    + " produced without the lock", LAZY_ACTION, null);
        }
        if (onTimeout == OnTimeout.SKIP) {
            try {
                SkipValues.forReturnType(returnType);
            } catch (IllegalArgumentException e) {
                throw new InvalidFileLockedMethodException(null, method, e.getMessage(), SKIP_ACTION, e);
            }
        }
    }

    @Override
    public @Nullable Object invoke(FileLockedInvocation invocation) throws Throwable {
        return invocation.callLocked(invocation::proceed,
                () -> SkipValues.forReturnType(invocation.request().method().getReturnType()));
    }

    /** Last: it supports every type, so the others must be asked first. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
