package io.github.filelock.spring.autoconfigure;

import static io.github.filelock.spring.autoconfigure.FileLockAutoConfigurationTests.assertAnalysis;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import io.github.filelock.internal.TestHooks;
import io.github.filelock.spring.support.Runners;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When native flock(2) cannot be loaded (no JNA, an architecture JNA's table lacks), the core can fall back to
 * FileChannel (fcntl) locks, which flock(1) and Python's FileLock do not see. A Spring application refuses to start
 * that way unless filelock.allow-file-channel-fallback=true. The core's test seam makes loading flock fail.
 */
class FileChannelFallbackTests {

    @TempDir
    Path tmp;

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
    void startUpFailsNamingThePropertyUnlessTheFallbackIsAllowed() {
        Runners.withLockDir(tmp).run(context -> assertAnalysis(context,
                "filelock.allow-file-channel-fallback", "filelock.allow-file-channel-fallback=true"));
        Runners.withLockDir(tmp).run(context -> assertThat(context.getStartupFailure())
                .rootCause().hasMessageContaining("test: no native flock here"));

        Runners.withLockDir(tmp).withPropertyValues("filelock.allow-file-channel-fallback=true").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(FileLockRegistry.class).type()).isEqualTo(LockType.FILE_CHANNEL);
        });
    }

    @Test
    void anExplicitFileChannelTypeNeedsNoOptIn() {
        Runners.withLockDir(tmp).withPropertyValues("filelock.type=file-channel").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(FileLockRegistry.class).type()).isEqualTo(LockType.FILE_CHANNEL);
        });
    }
}
