package io.github.filelock.shedlock.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import io.github.filelock.shedlock.FileLockProvider;
import io.github.filelock.spring.FileLockRegistries;
import io.github.filelock.spring.autoconfigure.FileLockAutoConfiguration;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The ShedLock provider appears with the starter, works on its registry, and backs off for the application's own. */
class FileLockShedLockAutoConfigurationTest {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, FileLockAutoConfiguration.class,
                        FileLockShedLockAutoConfiguration.class))
                .withPropertyValues("filelock.dir=" + dir);
    }

    @Test
    void aProviderOnTheStartersRegistryTakesLocks() {
        runner().run(context -> {
            assertThat(context).hasSingleBean(LockProvider.class);
            FileLockProvider provider = context.getBean(FileLockProvider.class);
            assertThat(provider.registry()).isSameAs(context.getBean(FileLockRegistry.class));
            LockConfiguration config = new LockConfiguration(Instant.now(), "report", Duration.ofMinutes(1),
                    Duration.ZERO);
            Optional<SimpleLock> lock = provider.lock(config);
            assertThat(lock).isPresent();
            assertThat(provider.lock(config)).as("held: another run skips").isEmpty();
            assertThat(context.getBean(FileLockRegistry.class).diagnostics().lockFile("report")).exists();
            lock.get().unlock();
            provider.lock(config).orElseThrow().unlock();
        });
    }

    // filelock.locks.<name>.type gives a name its own registry, which @FileLocked uses: a ShedLock lock of that name
    // must be the same lock, or a scheduled task and a @FileLocked method run at once (here a soft-rw writer beside
    // a flock lock: different files, no exclusion at all; with redis, no exclusion across hosts).
    @Test
    void aNameWithATypeOfItsOwnIsLockedInThatTypesRegistry() {
        runner().withPropertyValues("filelock.locks.report.type=soft-rw").run(context -> {
            FileLockProvider provider = context.getBean(FileLockProvider.class);
            SimpleLock lock = provider.lock(new LockConfiguration(Instant.now(), "report", Duration.ofMinutes(1),
                    Duration.ZERO)).orElseThrow();
            FileLockRegistry annotated = context.getBean(FileLockRegistries.class).registryFor("report");
            assertThat(annotated.type()).isEqualTo(LockType.SOFT_RW);
            assertThat(annotated.tryAcquire("report")).as("@FileLocked(\"report\") while ShedLock holds it").isEmpty();
            lock.unlock();
            annotated.tryAcquire("report").orElseThrow().close();
        });
    }

    @Test
    void backsOffForTheApplicationsOwnProvider() {
        LockProvider own = configuration -> Optional.empty();
        runner().withBean("ownProvider", LockProvider.class, () -> own).run(context -> {
            assertThat(context).hasSingleBean(LockProvider.class);
            assertThat(context.getBean(LockProvider.class)).isSameAs(own);
        });
    }

    @Test
    void needsTheStartersRegistry() {
        runner().withPropertyValues("filelock.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(LockProvider.class));
    }
}
