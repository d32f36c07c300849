package io.github.filelock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import io.github.filelock.internal.flock.FlockProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AUTO: the real flock probe on this machine's file systems, the errno classification and mount lookup. */
class AutoTypeTest {

    @TempDir
    Path dir;

    @Test
    void onAFileSystemThatGrantsFlockAutoStaysFlockAndLeavesOnlyTheReusedProbeFile() throws Exception {
        for (int i = 0; i < 2; i++) {
            try (FileLockRegistry locks = FileLockRegistry.builder(dir.resolve("d" + i)).type(LockType.AUTO)
                    .build()) {
                assertThat(locks.type()).isEqualTo(LockType.FLOCK);
            }
        }
        try (FileLockRegistry again = FileLockRegistry.builder(dir.resolve("d0")).type(LockType.AUTO).build()) {
            assertThat(again.type()).isEqualTo(LockType.FLOCK);
        }
        try (var files = Files.list(dir.resolve("d0"))) {
            assertThat(files).map(p -> p.getFileName().toString()).containsExactly(FlockProbe.PROBE_NAME);
        }
    }

    @Test
    void autoAcceptsADirectoryThisJvmAlreadyLocksWithSoftMarkers() {
        try (FileLockRegistry soft = FileLockRegistry.builder(dir).type(LockType.SOFT).build();
                FileLockRegistry auto = FileLockRegistry.builder(dir).type(LockType.AUTO).build()) {
            assertThat(auto.type()).isEqualTo(LockType.SOFT);
            assertThat(soft.tryAcquire("x")).hasValueSatisfying(h -> {
                assertThat(CompletableFuture.supplyAsync(() -> auto.tryAcquire("x").isPresent()).join()).isFalse();
                h.close();
            });
        }
    }

    @Test
    void onlyTheErrnosOfAFileSystemWithoutFlockAreRefusals() {
        assertThat(List.of(37, 95, 38)).allMatch(e -> FlockProbe.isRefusal(e, "Linux"));     // ENOLCK EOPNOTSUPP ENOSYS
        // EACCES EIO EBADF EAGAIN EINTR
        assertThat(List.of(13, 5, 9, 11, 4)).noneMatch(e -> FlockProbe.isRefusal(e, "Linux"));
        assertThat(List.of(77, 102, 45, 78)).allMatch(e -> FlockProbe.isRefusal(e, "Mac OS X"));
        assertThat(FlockProbe.isRefusal(37, "Windows 11")).isFalse();
    }

    @Test
    void theMountOfAPathIsTheLongestMountPointAboveIt() {
        List<String> mountinfo = List.of(
                "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw",
                "40 22 0:50 / /mnt/nfs\\040share rw,relatime shared:2 - nfs4 server:/export rw,vers=4.2",
                "41 22 0:51 / /mnt/nfs2 rw - fuse.sshfs me@host:/ rw");
        assertThat(MountInfo.of(Path.of("/mnt/nfs share/locks"), mountinfo)).hasValueSatisfying(m -> {
            assertThat(m.mountPoint()).isEqualTo(Path.of("/mnt/nfs share"));
            assertThat(m.fsType()).isEqualTo("nfs4");
            assertThat(m.describe()).isEqualTo("/mnt/nfs share (nfs4 from server:/export)");
        });
        assertThat(MountInfo.of(Path.of("/mnt/nfs2x/locks"), mountinfo)).get().extracting(MountInfo::fsType)
                .isEqualTo("ext4");
        assertThat(MountInfo.of(dir)).as("the real mountinfo knows the temp dir").get()
                .satisfies(m -> assertThat(dir.startsWith(m.mountPoint())).isTrue());
    }
}
