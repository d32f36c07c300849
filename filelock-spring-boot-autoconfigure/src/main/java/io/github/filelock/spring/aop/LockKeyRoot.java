package io.github.filelock.spring.aop;

import java.lang.reflect.Method;

/**
 * The {@code #root} object of a {@code @FileLocked} key expression: {@code #root.args}, {@code #root.method},
 * {@code #root.methodName}, {@code #root.target} and {@code #root.targetClass}. A class with getters rather
 * than a record, so that SpEL's bean-property access finds them.
 */
public final class LockKeyRoot {

    private final Method method;
    private final Object[] args;
    private final Object target;
    private final Class<?> targetClass;

    LockKeyRoot(Method method, Object[] args, Object target, Class<?> targetClass) {
        this.method = method;
        this.args = args;
        this.target = target;
        this.targetClass = targetClass;
    }

    public Method getMethod() {
        return method;
    }

    public String getMethodName() {
        return method.getName();
    }

    public Object[] getArgs() {
        return args;
    }

    public Object getTarget() {
        return target;
    }

    public Class<?> getTargetClass() {
        return targetClass;
    }
}
