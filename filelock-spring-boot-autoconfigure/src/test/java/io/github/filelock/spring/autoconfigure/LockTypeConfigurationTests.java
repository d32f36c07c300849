package io.github.filelock.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import io.github.filelock.spring.FileLockRegistries;
import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.support.FlockProbe;
import io.github.filelock.spring.support.Runners;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** filelock.type and filelock.locks.<name>.type: which registry locks which name, and the errors for bad settings. */
class LockTypeConfigurationTests {

    @TempDir
    Path tmp;

    @Test
    void aSoftTypedNameLocksWithAMarkerWhileOtherNamesUseFlockInTheSameDirectory() {
        Runners.withLockDir(tmp).withUserConfiguration(Beans.class)
                .withPropertyValues("filelock.locks.remote.type=soft", "filelock.soft.heartbeat=1s",
                        "filelock.soft.lease=5s")
                .run(context -> {
                    FileLockRegistries registries = context.getBean(FileLockRegistries.class);
                    FileLockRegistry main = context.getBean(FileLockRegistry.class);
                    assertThat(registries.main()).isSameAs(main);
                    assertThat(main.type()).isEqualTo(LockType.FLOCK);
                    assertThat(registries.registryFor("remote").type()).isEqualTo(LockType.SOFT);
                    assertThat(registries.registryFor("local")).isSameAs(main);
                    assertThat(registries.all()).hasSize(2);

                    Work work = context.getBean(Work.class);
                    String marker = work.remote();
                    assertThat(marker).as("the marker while held, as Python's SoftFileLock writes it")
                            .startsWith(ProcessHandle.current().pid() + "\n").hasLineCount(3);
                    assertThat(tmp.resolve("remote.lock")).as("deleted on release").doesNotExist();
                    work.local();
                    assertThat(tmp.resolve("local.lock")).as("flock files stay").exists();
                    assertThat(registries.lostHolds()).isZero();
                });
    }

    @Test
    void filelockTypeSoftMakesTheMainRegistrySoftAndAutoFindsFlockOnALocalDisk() {
        Runners.withLockDir(tmp).withPropertyValues("filelock.type=soft").run(context -> {
            assertThat(context.getBean(FileLockRegistry.class).type()).isEqualTo(LockType.SOFT);
        });
        Runners.withLockDir(tmp.resolve("auto")).withPropertyValues("filelock.type=auto", "filelock.locks.x.type=flock")
                .run(context -> {
                    FileLockRegistries registries = context.getBean(FileLockRegistries.class);
                    assertThat(registries.main().type()).isEqualTo(LockType.FLOCK);
                    assertThat(registries.all()).as("AUTO that found flock is the flock registry").hasSize(1);
                });
    }

    @Test
    void aFlockTypedNameUsesKernelLocksWhenTheMainTypeIsSoft() {
        Runners.withLockDir(tmp).withUserConfiguration(Beans.class)
                .withPropertyValues("filelock.type=soft", "filelock.locks.local.type=flock")
                .run(context -> {
                    List<Boolean> othersCouldLock = context.getBean(Work.class).localProbedByFlock(5);
                    assertThat(othersCouldLock).as("flock -n on local.lock while @FileLocked holds it").hasSize(5)
                            .containsOnly(false);

                    FileLockRegistries registries = context.getBean(FileLockRegistries.class);
                    assertThat(registries.main().type()).isEqualTo(LockType.SOFT);
                    assertThat(registries.registryFor("local").type()).isNotEqualTo(LockType.SOFT);
                });
    }

    @Test
    void badSettingsFailStartUpNamingTheProperty() {
        Runners.withLockDir(tmp).withPropertyValues("filelock.mechanism=FILE_CHANNEL")
                .run(context -> {
                    InvalidFileLockPropertyException invalid = invalidProperty(context.getStartupFailure());
                    assertThat(invalid.property()).isEqualTo("filelock.mechanism");
                    assertThat(invalid).hasMessageContaining("removed in 0.2");
                    FailureAnalysis analysis = new FileLockFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis.getAction()).contains("filelock.type=file-channel");
                });
        Runners.withLockDir(tmp).withPropertyValues("filelock.locks.remote.type=soft", "filelock.soft.heartbeat=10s",
                "filelock.soft.lease=15s")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure()))
                        .hasMessageContaining("filelock.soft.lease").hasMessageContaining("twice"));
    }

    @Test
    void aNonPositiveSoftPollIntervalFailsStartUpNamingTheProperty() {
        Runners.withLockDir(tmp).withPropertyValues("filelock.locks.remote.type=soft", "filelock.soft.poll-interval=0s")
                .run(context -> {
                    InvalidFileLockPropertyException invalid = invalidProperty(context.getStartupFailure());
                    assertThat(invalid.property()).isEqualTo("filelock.soft.poll-interval");
                    assertThat(invalid).hasMessageContaining("must be positive");
                    FailureAnalysis analysis = new FileLockFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis.getAction()).contains("filelock.soft.poll-interval").contains("25ms");
                });
    }

    /** Every soft type deletes its marker at release already, so deleting idle lock files is refused, by name. */
    @ParameterizedTest
    @ValueSource(strings = {"soft", "soft-lease", "strict-soft", "soft-rw"})
    void deletingIdleLockFilesWithASoftTypeFailsStartUpNamingTheProperty(String type) {
        Runners.withLockDir(tmp).withPropertyValues("filelock.locks.remote.type=" + type,
                "filelock.delete-idle-lock-files=true").run(context -> {
                    InvalidFileLockPropertyException invalid = invalidProperty(context.getStartupFailure());
                    assertThat(invalid.property()).isEqualTo("filelock.delete-idle-lock-files");
                    assertThat(invalid).hasMessageContaining(type);
                    FailureAnalysis analysis = new FileLockFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis.getAction()).contains("filelock.delete-idle-lock-files");
                });
    }

    /**
     * A soft registry opens and closes every lock file it inspects, which drops this process's fcntl (FILE_CHANNEL)
     * locks on it: the two cannot share filelock.dir, and start-up says so with the fix.
     */
    @Test
    void softTypedNamesBesideFileChannelLocksFailStartUpNamingTheFix() {
        Runners.withLockDir(tmp).withPropertyValues("filelock.type=file-channel", "filelock.locks.x.type=soft")
                .run(context -> {
                    InvalidFileLockPropertyException invalid = invalidProperty(context.getStartupFailure());
                    assertThat(invalid.property()).isEqualTo("filelock.locks.x.type");
                    FailureAnalysis analysis = new FileLockFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis).as("a failure analysis, not a stack trace").isNotNull();
                    assertThat(analysis.getDescription()).contains("filelock.locks.x.type").contains("SOFT")
                            .contains("FILE_CHANNEL").contains("closing any descriptor")
                            .contains(tmp.toRealPath().toString());
                    assertThat(analysis.getAction()).contains("replace file-channel with flock")
                            .contains("directory of their own");
                });
        Runners.withLockDir(tmp).withPropertyValues("filelock.locks.x.type=soft").run(context -> {
            assertThat(context).as("soft beside flock (the default) stays allowed").hasNotFailed();
            assertThat(context.getBean(FileLockRegistries.class).all()).extracting(FileLockRegistry::type)
                    .containsExactly(LockType.FLOCK, LockType.SOFT);
        });
    }

    // The action tells the user which setting to move: the soft type that start-up refused, not always soft.
    @Test
    void theFixForASoftLeaseNameBesideFileChannelLocksNamesSoftLease() {
        Runners.withLockDir(tmp).withPropertyValues("filelock.type=file-channel", "filelock.locks.x.type=soft-lease")
                .run(context -> {
                    FailureAnalysis analysis = new FileLockFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis).as("a failure analysis, not a stack trace").isNotNull();
                    assertThat(analysis.getDescription()).contains("filelock.locks.x.type").contains("SOFT_LEASE");
                    assertThat(analysis.getAction()).contains("filelock.locks.<name>.type=soft-lease")
                            .contains("SOFT_LEASE FileLockRegistry");
                });
    }

    private static InvalidFileLockPropertyException invalidProperty(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidFileLockPropertyException invalid) {
                return invalid;
            }
        }
        throw new AssertionError("start-up did not fail with InvalidFileLockPropertyException", failure);
    }

    @Configuration
    static class Beans {

        @Bean
        Work work(@Value("${filelock.dir}") Path dir) {
            return new Work(dir);
        }
    }

    static class Work {

        private final Path dir;

        Work(Path dir) {
            this.dir = dir;
        }

        /** The soft marker's content, read while holding it. */
        @FileLocked(name = "remote", timeout = "5s")
        public String remote() throws Exception {
            return Files.readString(dir.resolve("remote.lock"));
        }

        @FileLocked(name = "local", timeout = "5s")
        public void local() {
        }

        /** Another process's {@code flock -n} on local.lock, {@code times} times while this method holds it. */
        @FileLocked(name = "local", timeout = "5s")
        public List<Boolean> localProbedByFlock(int times) throws Exception {
            List<Boolean> results = new ArrayList<>();
            for (int i = 0; i < times; i++) {
                results.add(FlockProbe.canLock(dir.resolve("local.lock")));
            }
            return results;
        }
    }
}
