package io.github.filelock.spring;

import io.github.filelock.LockMode;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.core.annotation.AliasFor;

/**
 * Runs the method while holding a cross-process file lock, as {@code @Transactional} runs it in a transaction.
 *
 * <pre>{@code
 * @FileLocked(name = "doc", key = "#id", timeout = "30s")
 * public void reindex(long id) { ... }      // holds lock "doc:42" for id 42
 * }</pre>
 *
 * <p>Works on public and protected methods of Spring beans called through the bean's proxy, on interface
 * methods, and as a meta-annotation: a {@code @EmbeddingsLock} annotated with {@code @FileLocked(name = ...)}.
 * Calls on the same thread that resolve to the same lock name nest (the lock is reentrant), so a locked
 * method may call another one with the same name. Misconfiguration (a bad timeout or key, SKIP on a primitive
 * return type, a private, final or static method) fails the application at start-up.
 *
 * <p>Methods returning {@code CompletableFuture} or {@code CompletionStage}, and {@code Mono} or {@code Flux}
 * when Reactor is on the classpath, hold the lock until the result completes, fails or is cancelled, not merely
 * until the method returns. Their holds belong to no thread and are not reentrant: a nested async call on the
 * same name waits like any other caller. A timeout or SKIP reaches the caller through the returned future or
 * publisher (SKIP: a future completed with {@code null}, or an empty publisher), never as a thrown exception.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface FileLocked {

    /** Alias for {@link #name()}. */
    @AliasFor("name")
    String value() default "";

    /**
     * The lock name. Every process that uses the same name in the same lock directory
     * ({@code filelock.dir}) is excluded by it. Required.
     */
    @AliasFor("value")
    String name() default "";

    /**
     * Optional SpEL expression over the method's arguments, appended to the name as {@code name:key}, with the
     * key's {@code :} and {@code %} percent-encoded so that distinct (name, key) pairs never share a lock.
     * It may use parameter names ({@code #id}, {@code #doc.id}), positions ({@code #p0}, {@code #a0}),
     * {@code #root.args}, {@code #root.method}, {@code #root.target} and bean references ({@code @tenant.id()}).
     * The expression must evaluate to a value whose text identifies it: not {@code null}, not an array, and not
     * an object that keeps {@code Object.toString}.
     */
    String key() default "";

    /**
     * How long to wait for the lock: {@code "30s"}, {@code "500ms"}, {@code "2m"}, ISO-8601 {@code "PT30S"},
     * {@code "0"} for one attempt, {@code "-1"} (any negative value) to wait forever, or a placeholder such as
     * {@code "${app.lock-timeout:30s}"}. Empty (the default) uses {@code filelock.locks.<name>.timeout}, else
     * {@code filelock.default-timeout}.
     */
    String timeout() default "";

    /** What to do when the lock is not free within the timeout. */
    OnTimeout onTimeout() default OnTimeout.FAIL;

    /**
     * Keep the lock after the method returns until this much time has passed since it was acquired, for example
     * {@code "10s"} (the same syntax as {@link #timeout()}, placeholders too). The caller is not delayed: the
     * library releases the lock on time. Use it with {@code timeout = "0", onTimeout = SKIP} on a scheduled job
     * that runs on several instances, so that a short run keeps the others' triggers of the same tick out. Empty
     * (the default) uses {@code filelock.locks.<name>.hold-at-least}, else none. Measured from the acquisition of
     * the outermost hold; a nested call's minimum applies when the outermost call returns. Asynchronous results
     * release at the later of their completion and the minimum.
     */
    String holdAtLeast() default "";

    /**
     * EXCLUSIVE (the default): one holder at a time. SHARED: any number of SHARED holders, in this and other
     * processes ({@code flock -s}), excluded by an EXCLUSIVE one. Readers cannot starve a writer queued in this
     * JVM. A SHARED method that calls an EXCLUSIVE one on the same lock name fails with
     * {@link IllegalStateException} (upgrading is refused); an EXCLUSIVE method may call a SHARED one. The soft
     * types that keep one marker per lock ({@code soft}) are exclusive only: SHARED on such a name fails start-up.
     * {@code soft-rw} takes SHARED as a read lock and EXCLUSIVE as a write lock.
     */
    LockMode mode() default LockMode.EXCLUSIVE;
}
