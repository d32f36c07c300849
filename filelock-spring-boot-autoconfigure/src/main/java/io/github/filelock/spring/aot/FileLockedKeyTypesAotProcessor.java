package io.github.filelock.spring.aot;

import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.aop.FileLockedAttributeSource;
import java.lang.reflect.Method;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;

/**
 * At build time, finds the beans with keyed {@code @FileLocked} methods and registers reflection hints for the
 * types their key expressions can reach: each parameter's type and generics, and what their public accessors
 * return ({@code #doc.owner.id}). Unkeyed methods evaluate no expression, and the method's own result is not
 * there yet when the key is evaluated, so neither needs hints.
 */
public final class FileLockedKeyTypesAotProcessor implements BeanRegistrationAotProcessor {

    // The same lookup the interceptor uses: on the method, the overridden one, or through a meta-annotation.
    private final FileLockedAttributeSource attributes = new FileLockedAttributeSource();

    @Override
    public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean bean) {
        Class<?> type = ClassUtils.getUserClass(bean.getBeanType().toClass());
        Set<ResolvableType> roots = new LinkedHashSet<>();
        for (Map.Entry<Method, FileLocked> locked : attributes.methodsOf(type).entrySet()) {
            if (locked.getValue().key().isEmpty()) {
                continue;
            }
            Method method = locked.getKey();
            for (int i = 0; i < method.getParameterCount(); i++) {
                roots.add(ResolvableType.forMethodParameter(method, i, type));
            }
        }
        if (roots.isEmpty()) {
            return null;
        }
        return (generationContext, code) -> new KeyReachableTypes(generationContext.getRuntimeHints().reflection())
                .register(roots);
    }
}
