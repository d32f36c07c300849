package io.github.filelock.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockState;
import io.github.filelock.LockType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soft markers and kernel locks in one directory of one JVM: each kind keeps its own state (an application locks
 * some names softly, others with flock), while two kernel types on one directory are still refused, and so
 * are soft markers beside FileChannel locks (see crossprocess.SoftBesideFileChannelTest).
 */
class MixedTypesOneDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void softAndFlockRegistriesShareADirectoryAndEachExcludesItsOwnKind() throws Exception {
        try (FileLockRegistry flock = FileLockRegistry.builder(dir).type(LockType.FLOCK).build();
                FileLockRegistry soft = FileLockRegistry.builder(dir).type(LockType.SOFT).build();
                FileLockRegistry soft2 = FileLockRegistry.builder(dir.resolve(".")).type(LockType.SOFT).build();
                FileLockRegistry flock2 = FileLockRegistry.builder(dir).build()) {
            assertThat(flock.type()).isEqualTo(LockType.FLOCK);
            assertThat(soft.type()).isEqualTo(LockType.SOFT);
            assertThat(flock2.type()).as("the default joins the kernel-lock state").isEqualTo(LockType.FLOCK);
            try (FileLockHold hard = flock.acquire("index", Duration.ZERO);
                    FileLockHold marker = soft.acquire("remote-sync", Duration.ZERO)) {
                assertThat(otherThreadGets(flock2, "index")).isFalse();
                assertThat(otherThreadGets(soft2, "remote-sync")).isFalse();
                assertThat(Files.readString(soft.diagnostics().lockFile("remote-sync")))
                        .startsWith(ProcessIdentity.PID + "\n");
                assertThat(soft.diagnostics().localHolds()).extracting(h -> h.name()).containsExactly("remote-sync");
                assertThat(flock.diagnostics().localHolds()).extracting(h -> h.name()).containsExactly("index");
            }
            assertThat(otherThreadGets(flock2, "index")).isTrue();
            assertThat(otherThreadGets(soft2, "remote-sync")).isTrue();
            assertThat(soft.diagnostics().lockFile("remote-sync")).as("released marker deleted").doesNotExist();
        }
    }

    @Test
    void aSoftScanDoesNotReportThisJvmsFlockLockFilesAsOtherProcessesMarkers() throws Exception {
        try (FileLockRegistry flock = FileLockRegistry.builder(dir).type(LockType.FLOCK).build();
                FileLockRegistry soft = FileLockRegistry.builder(dir).type(LockType.SOFT).build();
                FileLockHold hard = flock.acquire("index", Duration.ZERO);
                FileLockHold marker = soft.acquire("remote-sync", Duration.ZERO)) {
            assertThat(soft.diagnostics().scan()).extracting(s -> s.name(), s -> s.state())
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("remote-sync",
                            LockState.HELD_BY_THIS_PROCESS));
            assertThat(soft.diagnostics().inspect("index").state()).as("held by this JVM's flock registry")
                    .isEqualTo(LockState.HELD_BY_THIS_PROCESS);
            Process flock1 = new ProcessBuilder("flock", "-n", flock.diagnostics().lockFile("index").toString(), "true")
                    .start();
            assertThat(flock1.waitFor()).as("flock -n on index.lock after the soft scan").isEqualTo(1);
        }
    }

    @Test
    void twoKernelTypesOnOneDirectoryAreStillRefused() {
        try (FileLockRegistry flock = FileLockRegistry.builder(dir).type(LockType.FLOCK).build();
                FileLockRegistry soft = FileLockRegistry.builder(dir).type(LockType.SOFT).build()) {
            assertThatThrownBy(() -> FileLockRegistry.builder(dir).type(LockType.FILE_CHANNEL).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already used in this JVM with FLOCK locks")
                    .hasMessageContaining("cannot use FILE_CHANNEL");
            try (FileLockRegistry auto = FileLockRegistry.builder(dir).type(LockType.AUTO).build()) {
                assertThat(auto.type()).as("AUTO joins the kernel locks already in use").isEqualTo(LockType.FLOCK);
            }
        }
    }

    @Test
    void withoutATypeARegistryUsesKernelLocksEvenWhereThisJvmUsesSoftMarkers() throws Exception {
        try (FileLockRegistry soft = FileLockRegistry.builder(dir).type(LockType.SOFT).build();
                FileLockRegistry unset = FileLockRegistry.builder(dir).build()) {
            assertThat(unset.type()).as("the platform's kernel lock, not the soft state").isEqualTo(LockType.FLOCK);
            try (FileLockHold hold = unset.acquire("x", Duration.ZERO)) {
                Process flock = new ProcessBuilder("flock", "-n", unset.diagnostics().lockFile("x").toString(), "true")
                        .start();
                assertThat(flock.waitFor()).as("flock -n on a held x.lock").isEqualTo(1);
            }
            try (FileLockRegistry auto = FileLockRegistry.builder(dir.resolve("auto")).type(LockType.SOFT)
                    .build();
                    FileLockRegistry autoJoins = FileLockRegistry.builder(dir.resolve("auto"))
                            .type(LockType.AUTO).build()) {
                assertThat(autoJoins.type()).as("AUTO still joins the kind in use").isEqualTo(LockType.SOFT);
            }
        }
    }

    @Test
    void closingOneKindKeepsTheOtherKindsHoldsAndState() throws Exception {
        FileLockRegistry flock = FileLockRegistry.builder(dir).build();
        FileLockRegistry soft = FileLockRegistry.builder(dir).type(LockType.SOFT).build();
        try (FileLockHold marker = soft.acquire("remote-sync", Duration.ZERO)) {
            flock.close();
            try (FileLockRegistry soft2 = FileLockRegistry.builder(dir).type(LockType.SOFT).build()) {
                assertThat(otherThreadGets(soft2, "remote-sync")).isFalse();
            }
        } finally {
            soft.close();
        }
    }

    private static boolean otherThreadGets(FileLockRegistry registry, String name) throws Exception {
        return CompletableFuture.supplyAsync(() -> registry.tryAcquire(name).map(h -> {
            h.close();
            return true;
        }).orElse(false)).get();
    }
}
