package io.github.filelock.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import io.github.filelock.spring.FileLockRegistries;
import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.support.Runners;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** filelock.type=strict-soft and filelock.locks.<name>.type=strict-soft. */
class StrictSoftTypeConfigurationTests {

    @TempDir
    Path tmp;

    @Test
    void aStrictSoftTypedNameHoldsThroughClaimsBesideSoftAndFlockNamesInOneDirectory() {
        Runners.withLockDir(tmp).withUserConfiguration(Beans.class)
                .withPropertyValues("filelock.locks.strict.type=strict-soft", "filelock.locks.remote.type=soft")
                .run(context -> {
                    FileLockRegistries registries = context.getBean(FileLockRegistries.class);
                    assertThat(registries.registryFor("strict").type()).isEqualTo(LockType.STRICT_SOFT);
                    assertThat(registries.all()).extracting(FileLockRegistry::type)
                            .containsExactlyInAnyOrder(LockType.FLOCK, LockType.SOFT, LockType.STRICT_SOFT);
                    assertThat(context.getBean(Work.class).strict()).as("the claims while held")
                            .hasSize(2).allMatch(name -> name.matches("(held|intent)-v1-[0-9a-f]{32}\\.claim"));
                    assertThat(tmp.resolve("strict.lock")).as("the permanent sentinel").exists();
                });
        Runners.withLockDir(tmp.resolve("main")).withPropertyValues("filelock.type=strict-soft").run(context ->
                assertThat(context.getBean(FileLockRegistry.class).type()).isEqualTo(LockType.STRICT_SOFT));
    }

    @Test
    void strictSoftTypedNamesBesideFileChannelLocksFailStartUpNamingTheProperty() {
        Runners.withLockDir(tmp).withPropertyValues("filelock.type=file-channel", "filelock.locks.x.type=strict-soft")
                .run(context -> {
                    FailureAnalysis analysis = new FileLockFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis).as("a failure analysis, not a stack trace").isNotNull();
                    assertThat(analysis.getDescription()).contains("filelock.locks.x.type").contains("STRICT_SOFT");
                    assertThat(analysis.getAction()).contains("replace file-channel with flock");
                });
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

        @FileLocked(name = "strict", timeout = "5s")
        public List<String> strict() throws Exception {
            try (Stream<Path> claims = Files.list(dir.resolve("strict.lock.filelock/claims"))) {
                return claims.map(p -> p.getFileName().toString()).toList();
            }
        }
    }
}
