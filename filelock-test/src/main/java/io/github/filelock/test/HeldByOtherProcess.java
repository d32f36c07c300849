package io.github.filelock.test;

import io.github.filelock.LockMode;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a test method (or a test class, for each of its tests) run with {@link FileLockExtension}: another process
 * holds these locks in the extension's lock directory while the test body runs. They are taken after the
 * {@code @BeforeEach} methods and given back before the {@code @AfterEach} methods, and the body starts only
 * once every one is held.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface HeldByOtherProcess {

    /** The lock names. */
    String[] value();

    /** EXCLUSIVE, or SHARED to test readers that must still get in. */
    LockMode mode() default LockMode.EXCLUSIVE;

    /** Hold as a soft lock (marker file), for code that uses {@code LockType.SOFT}. */
    boolean soft() default false;
}
