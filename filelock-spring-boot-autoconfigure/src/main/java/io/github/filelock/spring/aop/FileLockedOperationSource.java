package io.github.filelock.spring.aop;

import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.InvalidFileLockedMethodException;
import io.github.filelock.spring.returntype.FileLockedReturnType;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodClassKey;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.util.StringValueResolver;

/**
 * Turns a {@code @FileLocked} method into a {@link FileLockedOperation}, once per method and target class.
 * The start-up validator and the interceptor share this class, so what passes validation is exactly what
 * runs.
 */
public final class FileLockedOperationSource {

    static final String TIMEOUT_ACTION = "Use a duration such as \"30s\", \"500ms\", \"2m\" or \"PT30S\", \"0\" for"
            + " one attempt or \"-1\" to wait forever; or leave timeout empty to use filelock.locks.<name>.timeout"
            + " or filelock.default-timeout.";
    static final String KEY_ACTION = "Fix the key: it is SpEL over the method's arguments, such as \"#id\","
            + " \"#doc.id\", \"#p0\", \"#root.args[0]\" or \"@tenant.current()\".";
    static final String PARAMETER_NAMES_ACTION = "Compile with -parameters (Maven: maven-compiler-plugin"
            + " <parameters>true</parameters>, which spring-boot-starter-parent sets; Gradle:"
            + " options.compilerArgs << '-parameters'), or refer to parameters by position: #p0 or #a0 for the"
            + " first, #p1 for the second.";
    static final String RETURN_TYPE_ACTION = "Declare a FileLockedReturnType bean that supports this return type, or"
            + " keep the auto-configured ones (filelock's SynchronousReturnType handles every type the others do not).";
    static final String HOLD_AT_LEAST_ACTION = "Use a duration such as \"10s\" or \"PT10S\" (zero or more), or leave"
            + " holdAtLeast empty to use filelock.locks.<name>.hold-at-least.";
    static final String NAME_ACTION = "Give the lock a name, for example @FileLocked(name = \"reports\") or"
            + " @FileLocked(\"reports\").";

    private final FileLockedAttributeSource attributes;
    private final TimeoutParser timeouts;
    private final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();
    private final Supplier<List<FileLockedReturnType>> returnTypes;
    private final Map<MethodClassKey, Optional<FileLockedOperation>> cache = new ConcurrentHashMap<>();

    /**
     * @param placeholders resolves {@code ${...}} in timeouts, usually the bean factory's embedded value
     *     resolver; null leaves placeholders unresolved
     * @param returnTypes the return-type extensions in order, asked for each method; a supplier, so that the
     *     beans are looked up only when the first method is parsed
     */
    public FileLockedOperationSource(FileLockedAttributeSource attributes, @Nullable StringValueResolver placeholders,
            Supplier<List<FileLockedReturnType>> returnTypes) {
        this.attributes = attributes;
        this.timeouts = new TimeoutParser(placeholders);
        this.returnTypes = returnTypes;
    }

    public FileLockedAttributeSource attributes() {
        return attributes;
    }

    /**
     * @return the operation, or empty when the method is not {@code @FileLocked}
     * @throws InvalidFileLockedMethodException when the annotation cannot work as written
     */
    Optional<FileLockedOperation> get(Method method, Class<?> targetClass) {
        MethodClassKey key = new MethodClassKey(method, targetClass);
        Optional<FileLockedOperation> cached = cache.get(key);
        if (cached == null) {
            // Not computeIfAbsent: a failure must not be cached, and parsing may be re-entered by SpEL.
            cached = attributes.find(method, targetClass).map(found -> build(found, method, targetClass));
            cache.putIfAbsent(key, cached);
        }
        return cached;
    }

    private FileLockedOperation build(FileLocked annotation, Method method, Class<?> targetClass) {
        Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
        String name = annotation.name().trim();
        if (name.isEmpty()) {
            throw invalid(specific, "the lock has no name", NAME_ACTION, null);
        }
        Duration timeout;
        try {
            timeout = timeouts.parse(annotation.timeout());
        } catch (IllegalArgumentException e) {
            throw invalid(specific, e.getMessage(), TIMEOUT_ACTION, e);
        }
        Duration holdAtLeast;
        try {
            holdAtLeast = timeouts.parse("holdAtLeast", annotation.holdAtLeast());
        } catch (IllegalArgumentException e) {
            throw invalid(specific, e.getMessage(), HOLD_AT_LEAST_ACTION, e);
        }
        if (holdAtLeast != null && holdAtLeast.isNegative()) {
            throw invalid(specific, "holdAtLeast '" + annotation.holdAtLeast() + "' is negative", HOLD_AT_LEAST_ACTION,
                    null);
        }
        LockKeyExpression keyExpression = null;
        if (!annotation.key().isBlank()) {
            try {
                keyExpression = LockKeyExpression.parse(annotation.key(), specific, parameterNames);
            } catch (ParameterNamesUnavailableException e) {
                throw invalid(specific, e.getMessage(), PARAMETER_NAMES_ACTION, e);
            } catch (IllegalArgumentException e) {
                throw invalid(specific, e.getMessage(), KEY_ACTION, e);
            }
        }
        FileLockedReturnType returnType = returnTypeOf(specific);
        returnType.validate(specific, annotation.onTimeout());
        return new FileLockedOperation(name, specific, keyExpression, timeout, annotation.onTimeout(),
                annotation.mode(), returnType, holdAtLeast);
    }

    /** The first extension that supports the return type; the synchronous one, which supports all, is asked last. */
    private FileLockedReturnType returnTypeOf(Method method) {
        List<FileLockedReturnType> all = returnTypes.get();
        Class<?> type = method.getReturnType();
        return all.stream().filter(candidate -> !(candidate instanceof SynchronousReturnType))
                .filter(candidate -> candidate.supports(method)).findFirst()
                .or(() -> all.stream().filter(candidate -> candidate.supports(method)).findFirst())
                .orElseThrow(() -> invalid(method, "no FileLockedReturnType bean supports its return type "
                        + type.getName(), RETURN_TYPE_ACTION, null));
    }

    private static InvalidFileLockedMethodException invalid(Method method, String problem, String action,
            @Nullable Throwable cause) {
        return new InvalidFileLockedMethodException(null, method, problem, action, cause);
    }
}
