package io.github.filelock.spring.aop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;

/** How a {@code @FileLocked} method's result tells when its work is done, and so when the lock is released. */
public enum ResultKind {
    /** The work is done when the method returns or throws. */
    PLAIN,
    /** {@code CompletableFuture} or {@code CompletionStage}: done when the stage completes. */
    COMPLETION_STAGE,
    /** Reactor's {@code Mono}: done when it terminates or is cancelled. */
    MONO,
    /** Reactor's {@code Flux}: done when it terminates or is cancelled. */
    FLUX;

    static final String ASYNC_ACTION = "Declare the method to return CompletableFuture, CompletionStage, Mono or Flux"
            + " (the lock is then held until the result completes), or lock inside the asynchronous work with"
            + " FileLockRegistry.acquireAsync.";

    private static final ClassLoader LOADER = ResultKind.class.getClassLoader();
    private static final @Nullable Class<?> MONO_CLASS = load("reactor.core.publisher.Mono");
    private static final @Nullable Class<?> FLUX_CLASS = load("reactor.core.publisher.Flux");
    private static final @Nullable Class<?> PUBLISHER = load("org.reactivestreams.Publisher");

    boolean isAsync() {
        return this != PLAIN;
    }

    /**
     * @throws IllegalArgumentException for asynchronous results whose completion cannot be observed, or which the
     *     interceptor cannot return in its own type: the lock would be released before the work is done
     */
    static ResultKind of(Class<?> returnType) {
        if (returnType == CompletableFuture.class || returnType == CompletionStage.class) {
            return COMPLETION_STAGE;
        }
        if (returnType == MONO_CLASS) {
            return MONO;
        }
        if (returnType == FLUX_CLASS) {
            return FLUX;
        }
        if (CompletionStage.class.isAssignableFrom(returnType) || Future.class.isAssignableFrom(returnType)
                || (PUBLISHER != null && PUBLISHER.isAssignableFrom(returnType))) {
            throw new IllegalArgumentException("the method returns " + returnType.getName() + ", an asynchronous"
                    + " result that @FileLocked cannot follow to its completion, so the lock would be released"
                    + " while the work still runs");
        }
        return PLAIN;
    }

    private static @Nullable Class<?> load(String name) {
        return ClassUtils.isPresent(name, LOADER) ? ClassUtils.resolveClassName(name, LOADER) : null;
    }
}
