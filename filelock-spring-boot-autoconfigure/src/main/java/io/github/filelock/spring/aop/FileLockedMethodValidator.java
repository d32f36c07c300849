package io.github.filelock.spring.aop;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockMode;
import io.github.filelock.LockType;
import io.github.filelock.spring.InvalidFileLockedMethodException;
import io.github.filelock.spring.returntype.FileLockedReturnType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.EmbeddedValueResolver;
import org.springframework.util.ClassUtils;

/**
 * Checks every bean's {@code @FileLocked} methods as the bean is created, so a mistake fails start-up with a
 * message that names the bean, the method and the bad value, instead of failing (or silently not locking) on
 * the first call. It parses each method exactly as the interceptor will. A SHARED method on a name whose type only
 * its registry knows ({@code auto}, resolved when the registry is built) is checked once every singleton exists:
 * a post-processor runs too early to build registries.
 */
public final class FileLockedMethodValidator
        implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton {

    private final Supplier<List<FileLockedReturnType>> returnTypes;
    private final Function<String, @Nullable LockType> typeOfName;
    private final Function<String, @Nullable FileLockRegistry> registryOfName;
    private FileLockedOperationSource operations;
    private final Set<Class<?>> validated = ConcurrentHashMap.newKeySet();
    private final Queue<SharedUse> deferred = new ConcurrentLinkedQueue<>();
    private volatile boolean singletonsReady;

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
        this(returnTypes, typeOfName, name -> null);
    }

    /**
     * @param returnTypes the return-type extensions in order; looked up when the first bean is validated
     * @param typeOfName the configured lock type of an annotation's name, or null when unknown
     * @param registryOfName the registry that locks an annotation's name, or null when there is none; asked only
     *     once every singleton exists, for SHARED methods on names whose configured type is {@code auto} or unknown
     */
    public FileLockedMethodValidator(Supplier<List<FileLockedReturnType>> returnTypes,
            Function<String, @Nullable LockType> typeOfName,
            Function<String, @Nullable FileLockRegistry> registryOfName) {
        this.returnTypes = returnTypes;
        this.typeOfName = typeOfName;
        this.registryOfName = registryOfName;
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

    /** The registries exist now: checks the SHARED methods whose type only their registry knows. */
    @Override
    public void afterSingletonsInstantiated() {
        singletonsReady = true; // a bean created from now on (a prototype) is checked at once
        for (SharedUse use = deferred.poll(); use != null; use = deferred.poll()) {
            checkResolved(use);
        }
    }

    /** The soft types that keep one marker per lock cannot count readers; soft-rw is their read/write type. */
    private void checkMode(FileLockedOperation operation, String beanName) {
        if (operation.mode() != LockMode.SHARED) {
            return;
        }
        LockType type = typeOfName.apply(operation.name());
        if (type != null && type != LockType.AUTO) {
            if (!type.supportsShared()) {
                throw new InvalidFileLockedMethodException(beanName, operation.method(), "mode = SHARED on lock '"
                        + operation.name() + "', whose type is '" + type.id() + "': " + exclusiveOnly(type),
                        softRw(operation.name()) + ", or remove mode = SHARED.", null);
            }
            return;
        }
        SharedUse use = new SharedUse(beanName, operation.method(), operation.name(), type);
        if (singletonsReady) {
            checkResolved(use);
        } else {
            deferred.add(use);
        }
    }

    /** {@code auto} is {@code soft} where the file system refuses flock(2), and a soft marker counts no readers. */
    private void checkResolved(SharedUse use) {
        FileLockRegistry registry = registryOfName.apply(use.name());
        LockType resolved = registry != null ? registry.type() : null;
        if (resolved == null || resolved.supportsShared()) {
            return;
        }
        String where = registry.diagnostics().location();
        String problem = use.configured() == LockType.AUTO
                ? "mode = SHARED on lock '" + use.name() + "', whose type is 'auto': 'auto' resolved to '"
                        + resolved.id() + "' on lock directory " + where + " (FileLockRegistry.type() now reports '"
                        + resolved.id() + "'): either its file system refuses flock(2) (a WARN at start-up names the"
                        + " mount), or this JVM already uses soft locks on that directory (filelock.type or another"
                        + " name's type), which auto then joins; and " + exclusiveOnly(resolved)
                : "mode = SHARED on lock '" + use.name() + "', whose registry (on " + where + ") reports type '"
                        + resolved.id() + "' (FileLockRegistry.type()): " + exclusiveOnly(resolved);
        String flock = use.configured() == LockType.AUTO ? ", or give every name on this directory one type (where"
                + " soft locks were joined), or put the lock directory on a file system that supports flock(2) (where"
                + " it refuses flock: a local disk, or NFS with its lock manager)" : "";
        throw new InvalidFileLockedMethodException(use.beanName(), use.method(), problem, softRw(use.name()) + flock
                + ", or remove mode = SHARED.", null);
    }

    private static String exclusiveOnly(LockType type) {
        return "'" + type.id() + "' locks are exclusive only (a single marker file cannot count readers), so every"
                + " call would fail";
    }

    private static String softRw(String name) {
        return "Set filelock.locks." + name + ".type=soft-rw for read/write soft locks (Python's SoftReadWriteLock;"
                + " every process that uses the name must use soft-rw)";
    }

    /** A SHARED method whose lock type is known only once its registry is built. */
    private record SharedUse(String beanName, Method method, String name, @Nullable LockType configured) {
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
