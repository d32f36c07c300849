package io.github.filelock.internal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import io.github.filelock.internal.channel.ChannelBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deleting idle lock files is safe only where an acquirer can tell that the file it locked is no longer the one
 * at its path. FILE_CHANNEL can tell only where it can read the file key of an open descriptor: Linux /proc, not
 * Windows (whose file key is null). There is no Windows machine here, so the refusal is shown through the
 * backend's seam that reports no file keys, on the same path {@code build()} takes.
 */
class IdleFileDeletionRefusalTest {

    static final Set<PosixFilePermission> PERMISSIONS = PosixFilePermissions.fromString("rw-r--r--");

    @TempDir
    Path dir;

    @Test
    void fileChannelWithoutFileKeysRefusesToDeleteIdleFiles() throws IOException {
        Path real = dir.toRealPath();
        assertThatThrownBy(() -> FileSpaces.attach(real, LockType.FILE_CHANNEL,
                () -> ChannelBackend.withoutFileKeys(new FileSettings(real, PERMISSIONS, true)), 256))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("deleteIdleLockFiles")
                .hasMessageContaining("FILE_CHANNEL")
                .hasMessageContaining("Keep lock files");
        FileSpaces.attach(real, LockType.FILE_CHANNEL,
                () -> ChannelBackend.withoutFileKeys(new FileSettings(real, PERMISSIONS, false)), 256).detach();
    }

    @Test
    void fileChannelOnLinuxReadsFileKeysFromDescriptorsAndMayDeleteIdleFiles() {
        FileLockRegistry.builder(dir).type(LockType.FILE_CHANNEL).deleteIdleLockFiles(true).build().close();
    }
}
