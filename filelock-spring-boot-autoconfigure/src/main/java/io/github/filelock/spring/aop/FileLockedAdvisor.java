package io.github.filelock.spring.aop;

import java.lang.reflect.Method;
import org.aopalliance.aop.Advice;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.Ordered;

/**
 * Applies {@link FileLockInterceptor} to every {@code @FileLocked} method. It is an advisor in the
 * auto-proxy chain, like Spring's transaction advisor, so its position relative to {@code @Transactional}
 * is a plain {@link #setOrder order}: {@link #DEFAULT_ORDER} puts the lock outside the transaction.
 */
public final class FileLockedAdvisor extends AbstractPointcutAdvisor {

    private static final long serialVersionUID = 1L;

    /**
     * Runs before (outside) advisors at {@link Ordered#LOWEST_PRECEDENCE}, the default of
     * {@code @EnableTransactionManagement} and {@code @EnableCaching}: the lock is taken before the transaction
     * begins and released after it commits or rolls back.
     */
    public static final int DEFAULT_ORDER = Ordered.LOWEST_PRECEDENCE - 100;

    private final transient FileLockInterceptor interceptor;
    private final transient Pointcut pointcut;

    public FileLockedAdvisor(FileLockInterceptor interceptor, FileLockedAttributeSource attributes) {
        this.interceptor = interceptor;
        this.pointcut = new FileLockedPointcut(attributes);
        setOrder(DEFAULT_ORDER);
    }

    @Override
    public Pointcut getPointcut() {
        return pointcut;
    }

    @Override
    public Advice getAdvice() {
        return interceptor;
    }

    /** Matches methods that carry {@code @FileLocked}, directly, on an interface or through a meta-annotation. */
    private static final class FileLockedPointcut extends StaticMethodMatcherPointcut {

        private final FileLockedAttributeSource attributes;

        FileLockedPointcut(FileLockedAttributeSource attributes) {
            this.attributes = attributes;
            setClassFilter(attributes::isCandidateClass);
        }

        @Override
        public boolean matches(Method method, Class<?> targetClass) {
            return attributes.find(method, targetClass).isPresent();
        }
    }
}
