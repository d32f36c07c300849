package io.github.filelock.integration.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import io.github.filelock.integration.FileLockIntegrationRegistry;
import io.github.filelock.spring.FileLockRegistries;
import io.github.filelock.spring.autoconfigure.FileLockAutoConfiguration;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.integration.support.locks.DefaultLockRegistry;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * The Integration lock registry appears with the starter, locks through it, and backs off for the application's own.
 */
class FileLockIntegrationAutoConfigurationTest {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, FileLockAutoConfiguration.class,
                        FileLockIntegrationAutoConfiguration.class))
                .withPropertyValues("filelock.dir=" + dir);
    }

    @Test
    void aLockRegistryOnTheStartersRegistryTakesLocks() {
        runner().run(context -> {
            assertThat(context).hasSingleBean(LockRegistry.class);
            FileLockIntegrationRegistry registry = context.getBean(FileLockIntegrationRegistry.class);
            assertThat(registry.registry()).isSameAs(context.getBean(FileLockRegistry.class));
            Lock lock = registry.obtain("orders");
            assertThat(lock.tryLock()).isTrue();
            try {
                boolean elsewhere = CompletableFuture.supplyAsync(() -> {
                    Lock other = registry.obtain("orders");
                    boolean got = other.tryLock();
                    if (got) {
                        other.unlock();
                    }
                    return got;
                }).join();
                assertThat(elsewhere).as("another thread cannot take it meanwhile").isFalse();
                assertThat(context.getBean(FileLockRegistry.class).diagnostics().lockFile("orders")).exists();
            } finally {
                lock.unlock();
            }
        });
    }

    // filelock.locks.<name>.type gives a name its own registry, which @FileLocked uses: the Integration lock of that
    // name must be the same lock (a soft-rw writer beside a flock lock uses other files and excludes nothing).
    @Test
    void aNameWithATypeOfItsOwnIsLockedInThatTypesRegistry() {
        runner().withPropertyValues("filelock.locks.orders.type=soft-rw").run(context -> {
            Lock lock = context.getBean(FileLockIntegrationRegistry.class).obtain("orders");
            FileLockRegistry annotated = context.getBean(FileLockRegistries.class).registryFor("orders");
            assertThat(annotated.type()).isEqualTo(LockType.SOFT_RW);
            assertThat(lock.tryLock()).isTrue();
            try {
                boolean elsewhere = CompletableFuture.supplyAsync(() -> {
                    Optional<FileLockHold> hold = annotated.tryAcquire("orders");
                    hold.ifPresent(FileLockHold::close);
                    return hold.isPresent();
                }).join();
                assertThat(elsewhere).as("@FileLocked(\"orders\") while the Integration lock is held").isFalse();
            } finally {
                lock.unlock();
            }
        });
    }

    @Test
    void backsOffForTheApplicationsOwnRegistry() {
        DefaultLockRegistry own = new DefaultLockRegistry();
        runner().withBean("ownLocks", LockRegistry.class, () -> own).run(context -> {
            assertThat(context).hasSingleBean(LockRegistry.class);
            assertThat(context.getBean(LockRegistry.class)).isSameAs(own);
        });
    }
}
