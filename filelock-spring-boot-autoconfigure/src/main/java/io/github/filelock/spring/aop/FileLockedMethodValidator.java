package io.github.filelock.spring.aop;

import io.github.filelock.spring.InvalidFileLockedMethodException;
import io.github.filelock.spring.returntype.FileLockedReturnType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.EmbeddedValueResolver;
import org.springframework.util.ClassUtils;

/**
 * Checks every bean's {@code @FileLocked} methods as the bean is created, so a mistake fails start-up with a
 * message that names the bean, the method and the bad value, instead of failing (or silently not locking) on
 * the first call. It parses each method exactly as the interceptor will.
 */
public final class FileLockedMethodValidator implements BeanPostProcessor, BeanFactoryAware {

    private final Supplier<List<FileLockedReturnType>> returnTypes;
    private FileLockedOperationSource operations;
    private final Set<Class<?>> validated = ConcurrentHashMap.newKeySet();

    /** @param returnTypes the return-type extensions in order; looked up when the first bean is validated */
    public FileLockedMethodValidator(Supplier<List<FileLockedReturnType>> returnTypes) {
        this.returnTypes = returnTypes;
        this.operations = new FileLockedOperationSource(new FileLockedAttributeSource(), null, returnTypes);
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        if (beanFactory instanceof ConfigurableBeanFactory configurable) {
            operations = new FileLockedOperationSource(new FileLockedAttributeSource(),
                    new EmbeddedValueResolver(configurable), returnTypes);
        }
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        validate(ClassUtils.getUserClass(bean), beanName);
        return bean;
    }

    /** @throws InvalidFileLockedMethodException for the first method that cannot work as written */
    public void validate(Class<?> beanClass, String beanName) {
        if (validated.contains(beanClass)) {
            return;
        }
        for (Method method : operations.attributes().methodsOf(beanClass).keySet()) {
            checkInterceptable(method, beanName);
            try {
                operations.get(method, beanClass);
            } catch (InvalidFileLockedMethodException e) {
                // the same problem, now naming the bean it was found on
                throw new InvalidFileLockedMethodException(beanName, e.method(), e.problem(), e.action(), e.getCause());
            }
        }
        validated.add(beanClass);
    }

    /** Spring's proxies only see calls to methods they can override or implement. */
    private static void checkInterceptable(Method method, String beanName) {
        int modifiers = method.getModifiers();
        String kind = Modifier.isStatic(modifiers) ? "static" : Modifier.isPrivate(modifiers) ? "private"
                : Modifier.isFinal(modifiers) ? "final" : null;
        if (kind != null) {
            throw new InvalidFileLockedMethodException(beanName, method, "the method is " + kind
                    + ", so calls to it bypass the Spring proxy and would run without the lock",
                    "Make the method public (or protected), non-final and non-static, and call it through the bean"
                            + " (another bean, or an injected self-reference), or lock in code with"
                            + " FileLockRegistry.executeLocked.",
                    null);
        }
    }
}
