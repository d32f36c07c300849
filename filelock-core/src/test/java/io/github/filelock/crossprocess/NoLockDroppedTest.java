package io.github.filelock.crossprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.FileLockTimeoutException;
import io.github.filelock.LocalHold;
import io.github.filelock.LockState;
import io.github.filelock.LockType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * While this JVM holds a lock, nothing it does for diagnostics or through a second registry may release
 * it: after each such step a child JVM's one attempt must still fail. With FILE_CHANNEL this is a real
 * danger, because closing any descriptor of a file drops the process's fcntl locks on it.
 */
@Timeout(90)
class NoLockDroppedTest {

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @TempDir
    Path dir;

    private ProbeChild prober;

    @ParameterizedTest
    @EnumSource(value = LockType.class, names = {"POSTGRES", "REDIS"}, mode = EnumSource.Mode.EXCLUDE) // file types
    void childJvmsUsingTheTypeExcludeEachOther(LockType type) {
        prober = ProbeChild.start(children, dir, type);
        ChildProcess holder = HolderChild.startHolding(children, dir, "guarded", type);
        assertStillHeld("while another child JVM holds it");

        HolderChild.release(holder);
        assertThat(prober.canLock("guarded")).as("free after the holder released").isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = LockType.class, names = {"POSTGRES", "REDIS"}, mode = EnumSource.Mode.EXCLUDE) // file types
    void diagnosticsAndSecondRegistriesNeverDropAHeldLock(LockType type) throws Exception {
        prober = ProbeChild.start(children, dir, type);
        Path symlinkToDir = Files.createSymbolicLink(dir.resolveSibling(dir.getFileName() + "-link"), dir);
        try (FileLockRegistry registry = FileLockRegistry.builder(dir).type(type).build();
                FileLockHold hold = registry.acquire("guarded", Duration.ofSeconds(10))) {
            assertStillHeld("right after acquire");

            assertThat(registry.diagnostics().inspect("guarded").state()).isEqualTo(LockState.HELD_BY_THIS_PROCESS);
            assertStillHeld("after inspect(name)");
            registry.diagnostics().inspect("never-locked");
            assertStillHeld("after inspect(other name)");
            assertThat(registry.diagnostics().scan()).extracting(s -> s.state())
                    .contains(LockState.HELD_BY_THIS_PROCESS);
            assertStillHeld("after scan()");
            assertThat(registry.diagnostics().localHolds()).extracting(LocalHold::name).containsExactly("guarded");
            assertStillHeld("after localHolds()");

            assertThatThrownBy(() -> OtherThread.call(() -> registry.acquire("guarded", Duration.ofMillis(100))))
                    .isInstanceOf(FileLockTimeoutException.class);
            assertStillHeld("after another thread of this JVM timed out on it");

            secondRegistryCannotTakeIt(FileLockRegistry.builder(dir).type(type).build());
            assertStillHeld("after a second registry on the same directory tried and was closed");

            // The same type: a registry without one uses kernel locks, never this directory's soft state.
            secondRegistryCannotTakeIt(FileLockRegistry.builder(symlinkToDir).type(type).build());
            assertStillHeld("after a registry on a symlink to the directory tried and was closed");
        } finally {
            Files.delete(symlinkToDir);
        }
        assertThat(prober.canLock("guarded")).as("free once this JVM released").isTrue();
    }

    /**
     * {@link FileLockRegistry#close()} promises that holds already taken stay valid. A registry built
     * afterwards on the same directory (a Spring context restarted in the same JVM) must not drop them.
     */
    @ParameterizedTest
    @EnumSource(value = LockType.class, names = {"POSTGRES", "REDIS"}, mode = EnumSource.Mode.EXCLUDE) // file types
    void closingTheHoldingRegistryAndOpeningANewOneKeepsTheHold(LockType type) throws Exception {
        prober = ProbeChild.start(children, dir, type);
        FileLockRegistry first = FileLockRegistry.builder(dir).type(type).build();
        try (FileLockHold hold = first.acquire("guarded", Duration.ofSeconds(10))) {
            first.close();
            assertStillHeld("after the holding registry was closed");

            FileLockRegistry next = FileLockRegistry.builder(dir).type(type).build();
            assertThat(next.diagnostics().inspect("guarded").state()).isEqualTo(LockState.HELD_BY_THIS_PROCESS);
            next.diagnostics().scan();
            assertStillHeld("after a new registry inspected it");
            secondRegistryCannotTakeIt(next);
            assertStillHeld("after a new registry on the same directory tried and was closed");
        }
        assertThat(prober.canLock("guarded")).as("free once this JVM released").isTrue();
    }

    private static void secondRegistryCannotTakeIt(FileLockRegistry second) throws Exception {
        try (second) {
            Optional<FileLockHold> taken = OtherThread.call(() -> second.tryAcquire("guarded"));
            assertThat(taken).as("a second registry in this JVM must not get a held lock").isEmpty();
            second.diagnostics().inspect("guarded");
            second.diagnostics().scan();
        }
    }

    private void assertStillHeld(String when) {
        assertThat(prober.canLock("guarded")).as("another JVM could take the lock " + when).isFalse();
    }
}
