package io.github.filelock.spring.aop;

import io.github.filelock.spring.InvalidFileLockedMethodException;
import io.github.filelock.spring.OnTimeout;
import io.github.filelock.spring.returntype.FileLockedInvocation;
import io.github.filelock.spring.returntype.FileLockedReturnType;
import java.lang.reflect.Method;
import org.reactivestreams.Publisher;
import org.springframework.core.KotlinDetector;
import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;

/**
 * Runs a Kotlin {@code suspend} {@code @FileLocked} method: the lock is held for the whole coroutine, and
 * cancelling the coroutine releases it. Only created when kotlinx-coroutines-reactor is on the class path, because
 * that is when Spring's AOP runs a suspending call as a publisher (a {@code Mono}, or a {@code Flux} for a
 * {@code Flow} result) and awaits what the advice returns; this locks around that publisher.
 */
public final class KotlinSuspendReturnType implements FileLockedReturnType, Ordered {

    private static final String FLOW = "kotlinx.coroutines.flow.Flow";

    /** A suspend function's declared Java return type is Object, so only the method tells. */
    @Override
    public boolean supports(Class<?> returnType) {
        return false;
    }

    @Override
    public boolean supports(Method method) {
        return KotlinDetector.isSuspendingFunction(method);
    }

    @Override
    public boolean isAsync() {
        return true;
    }

    /** A skipped call resumes the caller with null, which only a nullable or Unit result can take. */
    @Override
    public void validate(Method method, OnTimeout onTimeout) {
        if (onTimeout != OnTimeout.SKIP || returnsFlow(method)) {
            return; // a skipped Flow is an empty one
        }
        MethodParameter result = new MethodParameter(method, -1);
        String type = result.getParameterType().getName();
        if (!result.isOptional() && !type.equals("kotlin.Unit") && !type.equals("void")) {
            throw new InvalidFileLockedMethodException(null, method, "onTimeout = SKIP resumes a skipped call with"
                    + " null, but the suspend function returns the non-nullable " + type, "Declare the result"
                    + " nullable (for example String?) or Unit, or use onTimeout = OnTimeout.FAIL.", null);
        }
    }

    @Override
    public Object invoke(FileLockedInvocation invocation) {
        if (returnsFlow(invocation.request().method())) {
            return ReactorLocking.flux(invocation, Publisher.class::cast);
        }
        return ReactorLocking.mono(invocation);
    }

    /** Spring's proxy decides the same way whether to await a single value or adapt the result back to a Flow. */
    private static boolean returnsFlow(Method method) {
        return new MethodParameter(method, -1).getParameterType().getName().equals(FLOW);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 100;
    }
}
