package io.github.filelock.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LocalHold;
import io.github.filelock.LockType;
import io.github.filelock.spring.FileLockRegistries;
import io.github.filelock.spring.FileLockRegistryRouter;
import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.aop.FileLockedAdvisor;
import io.github.filelock.spring.aop.FileLockedMethodValidator;
import io.github.filelock.spring.support.Runners;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class FileLockAutoConfigurationTests {

    @TempDir
    Path tmp;

    @Test
    void createsRegistryAdvisorAndValidatorOnTheConfiguredDirectory() {
        Runners.withLockDir(tmp.resolve("locks")).run(context -> {
            assertThat(context).hasSingleBean(FileLockRegistry.class).hasSingleBean(FileLockedAdvisor.class)
                    .hasSingleBean(FileLockedMethodValidator.class).hasSingleBean(FileLockProperties.class);
            FileLockRegistry registry = context.getBean(FileLockRegistry.class);
            assertThat(registry.directory()).isEqualTo(tmp.resolve("locks").toRealPath());
            assertThat(Files.isDirectory(tmp.resolve("locks"))).isTrue();
        });
    }

    @Test
    void enabledFalseCreatesNothing() {
        Runners.withLockDir(tmp.resolve("locks")).withPropertyValues("filelock.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(FileLockRegistry.class).doesNotHaveBean(FileLockedAdvisor.class)
                    .doesNotHaveBean(FileLockedMethodValidator.class).doesNotHaveBean(FileLockProperties.class);
            assertThat(tmp.resolve("locks")).doesNotExist();
        });
    }

    @Test
    void usersOwnRegistryWinsAndIsUsedByTheAdvisor() {
        Runners.withLockDir(tmp.resolve("auto")).withPropertyValues("test.own-dir=" + tmp.resolve("own"))
                .withUserConfiguration(OwnRegistry.class).run(context -> {
            assertThat(context).hasSingleBean(FileLockRegistry.class).hasSingleBean(FileLockedAdvisor.class);
            assertThat(context.getBean(FileLockRegistry.class).directory()).isEqualTo(tmp.resolve("own").toRealPath());
            assertThat(tmp.resolve("auto")).doesNotExist();
        });
    }

    @Test
    void usersOwnRouterIsHonouredAndTheDefaultRoutesToTheRegistries() {
        Runners.withLockDir(tmp.resolve("auto")).withPropertyValues("test.own-dir=" + tmp.resolve("own"))
                .withUserConfiguration(OwnRouter.class).run(context -> {
                    assertThat(context).hasNotFailed();
                    Path held = context.getBean(Reports.class).heldFile();
                    assertThat(held).as("locked through the user's router").isEqualTo(
                            context.getBean("ownRegistry", FileLockRegistry.class).diagnostics().lockFile("reports"));
                });
        Runners.withLockDir(tmp.resolve("default")).withUserConfiguration(ReportsConfig.class).run(context -> {
            Path held = context.getBean(Reports.class).heldFile();
            assertThat(held).as("locked through the default router")
                    .isEqualTo(context.getBean(FileLockRegistries.class).registryFor("reports").diagnostics()
                            .lockFile("reports"));
        });
    }

    @Test
    void registryIsClosedWithTheContext() {
        FileLockRegistry[] seen = new FileLockRegistry[1];
        Runners.withLockDir(tmp).run(context -> seen[0] = context.getBean(FileLockRegistry.class));
        assertThatIllegalStateException().isThrownBy(() -> seen[0].tryAcquire("x"))
                .withMessageContaining("closed");
    }

    @Test
    void bindsEveryProperty() {
        Runners.withLockDir(tmp).withPropertyValues("filelock.default-timeout=5s",
                "filelock.file-permissions=rw-rw----",
                "filelock.type=file-channel", "filelock.max-open-files=7", "filelock.max-wait-threads=3",
                "filelock.delete-idle-lock-files=true",
                "filelock.advisor-order=42", "filelock.locks.embeddings.timeout=2m", "filelock.locks.sync.timeout=0")
                .run(context -> {
                    FileLockProperties properties = context.getBean(FileLockProperties.class);
                    assertThat(properties.getDefaultTimeout()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(properties.getFilePermissions()).isEqualTo("rw-rw----");
                    assertThat(properties.getType()).isEqualTo(LockType.FILE_CHANNEL);
                    assertThat(properties.getMaxOpenFiles()).isEqualTo(7);
                    assertThat(properties.getMaxWaitThreads()).isEqualTo(3);
                    assertThat(properties.isDeleteIdleLockFiles()).isTrue();
                    assertThat(context.getBean(FileLockedAdvisor.class).getOrder()).isEqualTo(42);
                    assertThat(context.getBean(FileLockRegistry.class).type()).isEqualTo(LockType.FILE_CHANNEL);
                    // per-name entry first, the default for any other name
                    assertThat(properties.timeoutFor("embeddings")).isEqualTo(Duration.ofMinutes(2));
                    assertThat(properties.timeoutFor("sync")).isEqualTo(Duration.ZERO);
                    assertThat(properties.timeoutFor("other")).isEqualTo(Duration.ofSeconds(5));
                    FileLockRegistry registry = context.getBean(FileLockRegistry.class);
                    registry.acquire("perm", Duration.ZERO).close();
                    assertThat(PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(registry.diagnostics().lockFile("perm"))))
                            .isEqualTo("rw-rw----");
                });
    }

    @Test
    void defaultsMatchTheDocumentedValues() {
        Runners.withLockDir(tmp).run(context -> {
            FileLockProperties properties = context.getBean(FileLockProperties.class);
            assertThat(properties.getDefaultTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(properties.getFilePermissions()).isEqualTo("rw-r--r--");
            assertThat(properties.getType()).isEqualTo(LockType.FLOCK);
            assertThat(properties.getMaxOpenFiles()).isEqualTo(256);
            assertThat(properties.isDeleteIdleLockFiles()).isFalse();
            assertThat(context.getBean(FileLockedAdvisor.class).getOrder()).isEqualTo(FileLockedAdvisor.DEFAULT_ORDER);
        });
    }

    @Test
    void defaultDirectoryIsNamedAfterTheApplicationUnderAPerUserTempDirectory() {
        String tmpdir = System.getProperty("java.io.tmpdir");
        String uid = Long.toString(new com.sun.security.auth.module.UnixSystem().getUid());
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(FileLockAutoConfiguration.class))
                .withPropertyValues("spring.application.name=filelock-autoconfig-test", "XDG_RUNTIME_DIR=")
                .run(context ->
                        assertThat(context.getBean(FileLockRegistry.class).directory()).isEqualTo(
                                Path.of(tmpdir, "filelock-" + uid, "filelock-autoconfig-test").toRealPath()));
        assertThat(DefaultLockDirectory.safeFolderName("billing/eu ")).isEqualTo("billing_eu");
        assertThat(DefaultLockDirectory.safeFolderName("..")).isEqualTo("application");
    }

    @Test
    void badFilePermissionsFailStartUpNamingTheProperty() {
        Runners.withLockDir(tmp).withPropertyValues("filelock.file-permissions=rwx").run(context ->
                assertAnalysis(context, "Invalid value 'rwx' for filelock.file-permissions",
                        "Set filelock.file-permissions to nine characters"));
    }

    @Test
    void zeroMaxWaitThreadsFailsStartUpNamingTheProperty() {
        Runners.withLockDir(tmp).withPropertyValues("filelock.max-wait-threads=0").run(context ->
                assertAnalysis(context, "Invalid value '0' for filelock.max-wait-threads",
                        "Set filelock.max-wait-threads to 1 or more"));
    }

    @Test
    void zeroMaxOpenFilesFailsStartUpNamingTheProperty() {
        Runners.withLockDir(tmp).withPropertyValues("filelock.max-open-files=0").run(context ->
                assertAnalysis(context, "Invalid value '0' for filelock.max-open-files",
                        "Set filelock.max-open-files to 1 or more"));
    }

    @Test
    void lockDirectoryThatIsAFileFailsStartUp() throws IOException {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        Runners.withLockDir(file).run(context ->
                assertAnalysis(context, "Invalid value '" + file + "' for filelock.dir: Lock directory " + file
                        + " is not a directory",
                        "Set filelock.dir to a directory that this process can create and write to"));
    }

    @Test
    void lockDirectoryOnAReadOnlyMountFailsStartUp() throws Exception {
        Path mount = Files.createDirectories(tmp.resolve("ro"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "ro", "tmpfs", mount.toString()) == 0,
                "needs root to mount a read-only tmpfs");
        try {
            Runners.withLockDir(mount).run(context -> assertAnalysis(context,
                    "for filelock.dir: Lock directory " + mount + " is not writable: it is on a read-only file system",
                    "Set filelock.dir to a directory that this process can create and write to"));
            Runners.withLockDir(mount.resolve("sub")).run(context -> assertAnalysis(context,
                    "for filelock.dir: Lock directory " + mount.resolve("sub") + " cannot be created",
                    "Set filelock.dir to a directory"));
        } finally {
            run("umount", mount.toString());
        }
    }

    @Test
    void unparseableDefaultTimeoutFailsBinding() {
        Runners.withLockDir(tmp).withPropertyValues("filelock.default-timeout=soon").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("soon");
        });
    }

    static void assertAnalysis(AssertableApplicationContext context, String description, String action) {
        assertThat(context).hasFailed();
        FailureAnalysis analysis = new FileLockFailureAnalyzer().analyze(context.getStartupFailure());
        assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
        assertThat(analysis.getDescription()).contains(description);
        assertThat(analysis.getAction()).contains(action);
    }

    private static int run(String... command) throws IOException, InterruptedException {
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    @Configuration(proxyBeanMethods = false)
    static class ReportsConfig {

        @Bean
        Reports reports(FileLockRegistry registry) {
            return new Reports(registry);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnRouter {

        @Bean(destroyMethod = "close")
        FileLockRegistry ownRegistry(@Value("${test.own-dir}") Path dir) {
            return FileLockRegistry.builder(dir).build();
        }

        @Bean
        FileLockRegistryRouter ownRouter(FileLockRegistry ownRegistry) {
            return name -> ownRegistry;
        }

        @Bean
        Reports reports(FileLockRegistry ownRegistry) {
            return new Reports(ownRegistry);
        }
    }

    static class Reports {

        private final FileLockRegistry registry;

        Reports(FileLockRegistry registry) {
            this.registry = registry;
        }

        /** The file of the one lock this thread holds while the method runs, as the given registry sees it. */
        @FileLocked(name = "reports", timeout = "5s")
        public Path heldFile() {
            return registry.diagnostics().localHolds().stream().map(LocalHold::file).findFirst().orElse(null);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnRegistry {

        @Bean(destroyMethod = "close")
        FileLockRegistry myRegistry(@Value("${test.own-dir}") Path dir) {
            return FileLockRegistry.builder(dir).build();
        }
    }
}
