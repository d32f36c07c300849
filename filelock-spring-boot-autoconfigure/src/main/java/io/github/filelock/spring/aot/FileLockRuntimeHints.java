package io.github.filelock.spring.aot;

import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.actuate.LockBreaks;
import io.github.filelock.spring.actuate.LockReports;
import io.github.filelock.spring.aop.LockKeyRoot;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * What the starter itself reaches by reflection, for native images (registered in
 * {@code META-INF/spring/aot.factories}). Types are named by class literal where they are ours, so a moved class
 * fails to compile here rather than silently dropping its hint. The parameter types of {@code @FileLocked}
 * methods are registered per application by {@link FileLockedKeyTypesAotProcessor}.
 */
public final class FileLockRuntimeHints implements RuntimeHintsRegistrar {

    /**
     * Classes looked up by name at run time (the interceptor's asynchronous result types), which native
     * images resolve only when registered.
     */
    static final List<String> LOADED_BY_NAME = List.of("reactor.core.publisher.Mono", "reactor.core.publisher.Flux",
            "org.reactivestreams.Publisher");

    /**
     * Common key values: a key's value class is asked for its own {@code toString} ({@code getMethod}), which a
     * native image answers only for registered types; unregistered, a String key would be refused.
     */
    static final List<Class<?>> KEY_VALUE_TYPES = List.of(String.class, Long.class, Integer.class, Short.class,
            Byte.class, Character.class, Boolean.class, BigInteger.class, BigDecimal.class, UUID.class,
            LocalDate.class);

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        // #root.args, #root.methodName...: SpEL calls the getters reflectively.
        hints.reflection().registerType(LockKeyRoot.class, MemberCategory.INVOKE_PUBLIC_METHODS);
        // Read through Spring's merged annotations: attributes invoked reflectively, @AliasFor synthesized as a
        // JDK proxy.
        hints.reflection().registerType(FileLocked.class, MemberCategory.INVOKE_PUBLIC_METHODS);
        hints.proxies().registerJdkProxy(FileLocked.class);
        // /actuator/locks: JSON written from the records' accessors.
        new BindingReflectionHintsRegistrar().registerReflectionHints(hints.reflection(), LockReports.Locks.class,
                LockReports.Lock.class, LockBreaks.Broken.class, LockBreaks.Refused.class);
        LOADED_BY_NAME.forEach(name -> hints.reflection().registerTypeIfPresent(classLoader, name));
        KEY_VALUE_TYPES.forEach(type -> hints.reflection().registerType(type, MemberCategory.INVOKE_PUBLIC_METHODS));
    }
}
