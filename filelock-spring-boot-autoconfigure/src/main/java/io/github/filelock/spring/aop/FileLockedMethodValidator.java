package io.github.filelock.spring.aop;

import io.github.filelock.LockMode;
import io.github.filelock.LockType;
import io.github.filelock.spring.InvalidFileLockedMethodException;
import io.github.filelock.spring.returntype.FileLockedReturnType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
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
    private final Function<String, @Nullable LockType> typeOfName;
    private FileLockedOperationSource operations;
    private final Set<Class<?>> validated = ConcurrentHashMap.newKeySet();

    /** @param returnTypes the return-type extensions in order; looked up when the first bean is validated */
    public FileLockedMethodValidator(Supplier<List<FileLockedReturnType>> returnTypes) {
        this(returnTypes, name -> null);
    }

    /**
     * @param returnTypes the return-type extensions in order; looked up when the first bean is validated
     * @param typeOfName the configured lock type of an annotation's name ({@code filelock.locks.<name>.type}, else
     *     {@code filelock.type}), or null when unknown; a SHARED method on a type that refuses SHARED fails start-up
     */
    public FileLockedMethodValidator(Supplier<List<FileLockedReturnType>> returnTypes,
            Function<String, @Nullable LockType> typeOfName) {
        this.returnTypes = returnTypes;
        this.typeOfName = typeOfName;
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
                operations.get(method, beanClass).ifPresent(operation -> checkMode(operation, beanName));
            } catch (InvalidFileLockedMethodException e) {
                // the same problem, now naming the bean it was found on
                throw new InvalidFileLockedMethodException(beanName, e.method(), e.problem(), e.action(), e.getCause());
            }
        }
        validated.add(beanClass);
    }

    /** The soft types that keep one marker per lock cannot count readers; soft-rw is their read/write type. */
    private void checkMode(FileLockedOperation operation, String beanName) {
        LockType type = operation.mode() == LockMode.SHARED ? typeOfName.apply(operation.name()) : null;
        if (type != null && !type.supportsShared()) {
            throw new InvalidFileLockedMethodException(beanName, operation.method(), "mode = SHARED on lock '"
                    + operation.name() + "', whose type is '" + type.id() + "': '" + type.id() + "' locks are"
                    + " exclusive only (a single marker file cannot count readers), so every call would fail",
                    "Set filelock.locks." + operation.name() + ".type=soft-rw for read/write soft locks (Python's"
                            + " SoftReadWriteLock; every process that uses the name must use soft-rw), or remove"
                            + " mode = SHARED.", null);
        }
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
