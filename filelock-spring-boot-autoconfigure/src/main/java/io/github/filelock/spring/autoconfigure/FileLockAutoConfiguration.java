package io.github.filelock.spring.autoconfigure;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.spring.FileLockRegistries;
import io.github.filelock.spring.FileLockRegistryRouter;
import io.github.filelock.spring.aop.CompletionStageReturnType;
import io.github.filelock.spring.aop.FileLockInterceptor;
import io.github.filelock.spring.aop.FileLockedAdvisor;
import io.github.filelock.spring.aop.FileLockedAttributeSource;
import io.github.filelock.spring.aop.FileLockedMethodValidator;
import io.github.filelock.spring.aop.FileLockedOperationSource;
import io.github.filelock.spring.aop.FileLockedProxyVerifier;
import io.github.filelock.spring.aop.KotlinFlowReturnType;
import io.github.filelock.spring.aop.KotlinSuspendReturnType;
import io.github.filelock.spring.aop.ReactorReturnType;
import io.github.filelock.spring.aop.SynchronousReturnType;
import io.github.filelock.spring.listener.FileLockListener;
import io.github.filelock.spring.returntype.FileLockedReturnType;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.EmbeddedValueResolver;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Fallback;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.function.SingletonSupplier;

/**
 * {@code @FileLocked} for Spring Boot: a {@link FileLockRegistry} on {@code filelock.dir} (plus one per other lock
 * type that {@code filelock.locks.<name>.type} asks for, in {@link FileLockRegistries}), the advisor that locks
 * annotated methods, and the start-up validator. Each bean backs off when the application defines its
 * own; {@code filelock.enabled=false} turns it all off.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "filelock", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(FileLockProperties.class)
@Import(FileLockAutoConfiguration.AutoProxyRegistrar.class)
public final class FileLockAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    FileLockRegistry fileLockRegistry(FileLockProperties properties, Environment environment,
            ObjectProvider<ExternalLockType> externalTypes) {
        return FileLockRegistryFactory.create(properties, environment, externalTypes.orderedStream().toList());
    }

    /**
     * Routes each @FileLocked name to the registry of its type; the main registry stays the one above. A fallback
     * router: an application's own {@link FileLockRegistryRouter} bean takes precedence for routing.
     */
    @Bean(destroyMethod = "close")
    @Fallback
    @ConditionalOnMissingBean
    FileLockRegistries fileLockRegistries(FileLockRegistry registry, FileLockProperties properties,
            Environment environment, ObjectProvider<ExternalLockType> externalTypes) {
        return TypedRegistries.create(registry, properties, environment, externalTypes.orderedStream().toList());
    }

    /**
     * Static, with lazy providers: post-processors are created before all other beans, the return types are looked
     * up only when the first bean is validated, and the registries only once every singleton exists.
     */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean
    static FileLockedMethodValidator fileLockedMethodValidator(ObjectProvider<FileLockedReturnType> returnTypes,
            ObjectProvider<FileLockRegistryRouter> registries, Environment environment) {
        return new FileLockedMethodValidator(SingletonSupplier.of(() -> returnTypes.orderedStream().toList()),
                ConfiguredTypes.of(environment), name -> {
                    FileLockRegistryRouter router = registries.getIfAvailable();
                    return router != null ? router.registryFor(name) : null;
                });
    }

    /** Fails start-up when a bean with @FileLocked methods was created too early to be proxied. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean
    static FileLockedProxyVerifier fileLockedProxyVerifier() {
        return new FileLockedProxyVerifier();
    }

    /**
     * Static, with lazy providers: the auto-proxy creator instantiates advisors while post-processors are
     * still being created, and the registry, properties and listeners must not be created that early.
     */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean
    static FileLockedAdvisor fileLockedAdvisor(ObjectProvider<FileLockRegistryRouter> registries,
            ObjectProvider<FileLockProperties> properties, ObjectProvider<FileLockListener> listeners,
            ObjectProvider<FileLockedReturnType> returnTypes, ConfigurableListableBeanFactory beanFactory,
            Environment environment) {
        FileLockedAttributeSource attributes = new FileLockedAttributeSource();
        FileLockedOperationSource operations = new FileLockedOperationSource(attributes,
                new EmbeddedValueResolver(beanFactory),
                SingletonSupplier.of(() -> returnTypes.orderedStream().toList()));
        SingletonSupplier<FileLockProperties> props = SingletonSupplier.of(properties::getObject);
        FileLockInterceptor interceptor = new FileLockInterceptor(operations,
                SingletonSupplier.of(registries::getObject),
                name -> props.obtain().timeoutFor(name), name -> props.obtain().holdAtLeastFor(name),
                SingletonSupplier.of(() -> FileLockListener.of(listeners.orderedStream().toList())),
                new BeanFactoryResolver(beanFactory));
        FileLockedAdvisor advisor = new FileLockedAdvisor(interceptor, attributes);
        // Read directly: binding the properties bean here would create it before the post-processors.
        advisor.setOrder(environment.getProperty("filelock.advisor-order", Integer.class,
                FileLockedAdvisor.DEFAULT_ORDER));
        return advisor;
    }

    /** Methods that return any type not handled by another return type: the lock is held while the method runs. */
    @Bean
    @ConditionalOnMissingBean
    SynchronousReturnType fileLockedSynchronousReturnType() {
        return new SynchronousReturnType();
    }

    /** Methods returning CompletableFuture or CompletionStage hold the lock until the stage completes. */
    @Bean
    @ConditionalOnMissingBean
    CompletionStageReturnType fileLockedCompletionStageReturnType() {
        return new CompletionStageReturnType();
    }

    /** Methods returning Mono or Flux hold the lock from subscription until the publisher terminates. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "reactor.core.publisher.Mono")
    static final class ReactorReturnTypeConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ReactorReturnType fileLockedReactorReturnType() {
            return new ReactorReturnType();
        }
    }

    /**
     * Kotlin suspend functions hold the lock for the whole coroutine, and methods returning Flow for each collection.
     * Spring's AOP only runs a suspending call as a publisher with kotlinx-coroutines-reactor, hence the condition.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"reactor.core.publisher.Mono", "kotlinx.coroutines.reactor.MonoKt"})
    static final class KotlinCoroutinesReturnTypeConfiguration {

        @Bean
        @ConditionalOnMissingBean
        KotlinSuspendReturnType fileLockedKotlinSuspendReturnType() {
            return new KotlinSuspendReturnType();
        }

        @Bean
        @ConditionalOnMissingBean
        KotlinFlowReturnType fileLockedKotlinFlowReturnType() {
            return new KotlinFlowReturnType();
        }
    }

    /** Makes sure an auto-proxy creator exists, as {@code @EnableTransactionManagement} does. */
    static final class AutoProxyRegistrar implements ImportBeanDefinitionRegistrar {

        @Override
        public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
            AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
        }
    }
}
