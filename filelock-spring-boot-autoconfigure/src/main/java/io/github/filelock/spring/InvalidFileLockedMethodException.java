package io.github.filelock.spring;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** A {@code @FileLocked} method that cannot work as written; start-up fails with it. */
public class InvalidFileLockedMethodException extends FileLockSetupException {

    private static final long serialVersionUID = 1L;

    private final transient Method method;
    private final @Nullable String beanName;
    private final String problem;

    public InvalidFileLockedMethodException(@Nullable String beanName, Method method, String problem, String action,
            @Nullable Throwable cause) {
        super(message(beanName, method, problem), action, cause);
        this.beanName = beanName;
        this.method = method;
        this.problem = problem;
    }

    public Method method() {
        return method;
    }

    public @Nullable String beanName() {
        return beanName;
    }

    /** The problem alone, without the method and bean. */
    public String problem() {
        return problem;
    }

    private static String message(@Nullable String beanName, Method method, String problem) {
        String where = beanName != null ? " of bean '" + beanName + "'" : "";
        return "@FileLocked method " + describe(method) + where + ": " + problem;
    }

    /** {@code DocService.reindex(long)}: short enough to read, precise enough to find. */
    private static String describe(Method method) {
        String params = Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(", "));
        return method.getDeclaringClass().getName() + "." + method.getName() + "(" + params + ")";
    }
}
