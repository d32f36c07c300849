package io.github.filelock.crossprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.FileLockTimeoutException;
import io.github.filelock.LockHolder;
import io.github.filelock.LockState;
import io.github.filelock.LockStatus;
import io.github.filelock.LockType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another process can tell who holds a lock (pid, host, thread, since), and reading that never disturbs
 * the holder: after every reading a third process still cannot take the lock.
 */
@Timeout(60)
class HolderIdentityTest {

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @TempDir
    Path dir;

    @Test
    void anotherProcessSeesWhoHoldsTheLockWithoutDisturbingIt() throws Exception {
        Instant before = Instant.now();
        ChildProcess holder = HolderChild.startHolding(children, dir, "embeddings", LockType.FLOCK,
                "embeddings-worker");
        ProbeChild prober = ProbeChild.start(children, dir, LockType.FLOCK);
        String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();

        try (FileLockRegistry registry = FileLockRegistry.builder(dir).build()) {
            LockStatus status = registry.diagnostics().inspect("embeddings");
            assertThat(status.state()).isEqualTo(LockState.HELD_BY_OTHER_PROCESS);
            assertThat(status.kernelPid()).hasValue(holder.pid());
            LockHolder recorded = status.holder().orElseThrow();
            assertThat(recorded.pid()).isEqualTo(holder.pid());
            assertThat(recorded.host()).isEqualTo(host);
            assertThat(recorded.thread()).contains("embeddings-worker");
            assertThat(recorded.name()).contains("embeddings");
            assertThat(recorded.acquiredAt()).isBetween(before, Instant.now());
            assertThat(prober.canLock("embeddings")).as("held after inspect()").isFalse();

            assertThat(registry.diagnostics().scan()).filteredOn(s -> s.name().equals("embeddings"))
                    .singleElement().extracting(LockStatus::state).isEqualTo(LockState.HELD_BY_OTHER_PROCESS);
            assertThat(prober.canLock("embeddings")).as("held after scan()").isFalse();

            assertThatThrownBy(() -> registry.acquire("embeddings", Duration.ofMillis(200)))
                    .isInstanceOf(FileLockTimeoutException.class)
                    .hasMessageContaining("held by pid " + holder.pid() + " on " + host + ", thread embeddings-worker");
            assertThat(prober.canLock("embeddings")).as("held after a timed-out acquire").isFalse();

            HolderChild.release(holder);
            LockStatus free = registry.diagnostics().inspect("embeddings");
            assertThat(free.state()).isEqualTo(LockState.FREE);
            assertThat(free.holder()).as("a released lock has no current holder").isEmpty();
            assertThat(prober.canLock("embeddings")).as("free after the holder released").isTrue();
        }
    }

    @Test
    void aHolderThatWritesNoRecordIsNamedByTheKernelNotByAStaleRecord() throws Exception {
        // A holder of ours leaves its record in the file when it releases...
        ChildProcess previous = HolderChild.startHolding(children, dir, "shared", LockType.FLOCK);
        HolderChild.release(previous);
        assertThat(previous.awaitExit(Duration.ofSeconds(10))).isZero();

        // ...then flock(1), which writes nothing, takes the file.
        try (FileLockRegistry registry = FileLockRegistry.builder(dir).build()) {
            ChildProcess flock = children.command("flock", "-x", registry.diagnostics().lockFile("shared").toString(),
                    "-c", "echo HELD; read line");
            flock.awaitLine("HELD", Duration.ofSeconds(10));

            LockStatus status = registry.diagnostics().inspect("shared");
            assertThat(status.state()).isEqualTo(LockState.HELD_BY_OTHER_PROCESS);
            assertThat(status.kernelPid()).hasValue(flock.pid());
            assertThat(status.holder()).as("the previous holder's record must not be reported").isEmpty();
            assertThatThrownBy(() -> registry.acquire("shared", Duration.ofMillis(100)))
                    .hasMessageContaining("held by pid " + flock.pid())
                    .hasMessageNotContaining("pid " + previous.pid());
        }
    }
}
