package io.github.filelock.spring.aop;

import io.github.filelock.spring.FileLockSetupException;

/** A bean with {@code @FileLocked} methods that is not proxied, so its methods would run unlocked; start-up fails. */
public class UnproxiedFileLockedBeanException extends FileLockSetupException {

    private static final long serialVersionUID = 1L;

    private final String beanName;

    public UnproxiedFileLockedBeanException(String beanName, String message, String action) {
        super(message, action, null);
        this.beanName = beanName;
    }

    public String beanName() {
        return beanName;
    }
}
