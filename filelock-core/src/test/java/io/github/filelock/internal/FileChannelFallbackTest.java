package io.github.filelock.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Native flock cannot be loaded (forced through the test seam): fall back with a WARN, or refuse when told to. */
class FileChannelFallbackTest {

    @TempDir
    Path dir;

    @BeforeEach
    void flockCannotBeLoaded() {
        TestHooks.install((point, subject) -> {
            if (point.equals("TypeSelector.loadFlock")) {
                throw new UnsupportedOperationException("test: no native flock here");
            }
        });
    }

    @AfterEach
    void removeHook() {
        TestHooks.install(null);
    }

    @Test
    void byDefaultTheRegistryFallsBackToFileChannelLocks() {
        try (FileLockRegistry registry = FileLockRegistry.builder(dir).build()) {
            assertThat(registry.type()).isEqualTo(LockType.FILE_CHANNEL);
        }
    }

    @Test
    void aRefusedFallbackFailsTheBuildSayingWhatFlockUsersWouldMiss() {
        assertThatThrownBy(() -> FileLockRegistry.builder(dir.resolve("refused")).allowFileChannelFallback(false)
                        .build())
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("test: no native flock here")
                .hasMessageContaining("fallback to FileChannel locks is refused")
                .hasMessageContaining("flock(1), Python filelock");
        assertThatThrownBy(() -> FileLockRegistry.builder(dir.resolve("auto")).type(LockType.AUTO)
                .allowFileChannelFallback(false).build()).isInstanceOf(UnsupportedOperationException.class);
    }
}
