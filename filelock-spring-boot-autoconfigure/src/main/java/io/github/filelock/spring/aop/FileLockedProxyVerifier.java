package io.github.filelock.spring.aop;

import java.util.Arrays;
import java.util.List;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.scope.ScopedObject;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Once every singleton exists, checks that each one with {@code @FileLocked} methods is a proxy that carries the
 * {@link FileLockedAdvisor}. A bean that a post-processor needs is created before the auto-proxy creator (Spring
 * logs only an INFO, "not eligible for getting processed by all BeanPostProcessors"), and its methods would run
 * without the lock, silently. Such a bean fails start-up instead, naming the post-processor that pulled it in.
 */
public final class FileLockedProxyVerifier implements SmartInitializingSingleton, BeanFactoryAware {

    private final FileLockedAttributeSource attributes = new FileLockedAttributeSource();
    private ConfigurableListableBeanFactory beanFactory;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (String name : beanFactory.getSingletonNames()) {
            Object bean = beanFactory.getSingleton(name);
            if (bean == null || bean instanceof ScopedObject || isAdvisedByUs(bean)) {
                continue; // a scoped proxy's target is created (and proxied) per scope, not here
            }
            Class<?> type = ClassUtils.getUserClass(bean);
            if (!attributes.methodsOf(type).isEmpty()) {
                throw unproxied(name, type);
            }
        }
    }

    private static boolean isAdvisedByUs(Object bean) {
        return bean instanceof Advised advised
                && Arrays.stream(advised.getAdvisors()).anyMatch(FileLockedAdvisor.class::isInstance);
    }

    private UnproxiedFileLockedBeanException unproxied(String name, Class<?> type) {
        List<String> earlyDependents = Arrays.stream(beanFactory.getDependentBeans(name))
                .filter(dependent -> beanFactory.isTypeMatch(dependent, BeanPostProcessor.class)
                        || beanFactory.isTypeMatch(dependent, BeanFactoryPostProcessor.class))
                .map(dependent -> "'" + dependent + "'").toList();
        String why = earlyDependents.isEmpty()
                ? "It was created before the auto-proxy creator could process it, most likely because a"
                        + " BeanPostProcessor or BeanFactoryPostProcessor depends on it (Spring logs that it is"
                        + " \"not eligible for getting processed by all BeanPostProcessors\")."
                : "It was created before the auto-proxy creator could process it, because post-processor "
                        + String.join(", ", earlyDependents) + " depends on it.";
        return new UnproxiedFileLockedBeanException(name, "@FileLocked methods of bean '" + name + "' ("
                + type.getName() + ") would run without the lock: the bean is not a proxy with the @FileLocked"
                + " advisor. " + why,
                "Let no post-processor depend on this bean directly: inject it lazily (ObjectProvider, or @Lazy on"
                        + " the injection point), or make the post-processor's @Bean method static without that"
                        + " parameter. Otherwise lock in code with FileLockRegistry.executeLocked.");
    }
}
