package io.github.filelock.spring.aop;

import io.github.filelock.spring.FileLocked;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodClassKey;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * Finds the {@link FileLocked} that applies to a method of a target class: on the method itself, on the
 * interface or superclass method it overrides, or through a meta-annotation, with {@code @AliasFor}
 * attributes merged. Answers, including "none", are cached per method and class, because the pointcut asks
 * for every method of every bean at start-up and the interceptor asks on every call.
 */
public final class FileLockedAttributeSource {

    private final Map<MethodClassKey, Optional<FileLocked>> cache = new ConcurrentHashMap<>();

    /** Whether any method of {@code targetClass} can carry the annotation (cheap pre-filter). */
    public boolean isCandidateClass(Class<?> targetClass) {
        return AnnotationUtils.isCandidateClass(targetClass, FileLocked.class);
    }

    /** The {@code @FileLocked} methods of {@code targetClass}, with their annotations (bridges left out). */
    public Map<Method, FileLocked> methodsOf(Class<?> targetClass) {
        if (!isCandidateClass(targetClass)) {
            return Map.of();
        }
        Map<Method, FileLocked> found = MethodIntrospector.selectMethods(targetClass,
                (MethodIntrospector.MetadataLookup<FileLocked>) method -> find(method, targetClass).orElse(null));
        found.keySet().removeIf(method -> method.isBridge() || method.isSynthetic());
        return found;
    }

    public Optional<FileLocked> find(Method method, Class<?> targetClass) {
        return cache.computeIfAbsent(new MethodClassKey(method, targetClass), key -> lookUp(method, targetClass));
    }

    private static Optional<FileLocked> lookUp(Method method, Class<?> targetClass) {
        // The proxy reports the interface method; the annotation may be on the class's implementation.
        Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
        FileLocked found = AnnotatedElementUtils.findMergedAnnotation(specific, FileLocked.class);
        if (found == null && specific != method) {
            found = AnnotatedElementUtils.findMergedAnnotation(method, FileLocked.class);
        }
        return Optional.ofNullable(found);
    }
}
