package io.github.filelock.crossprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockHolder;
import io.github.filelock.LockType;
import io.github.filelock.internal.LogCapture;
import io.github.filelock.internal.TestHooks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FileLockRegistry#breakLock}: an operator removes another process's soft marker (a real child JVM's, or one
 * another host left), the audit WARN names who held it, what was removed and who asked; a name this JVM holds or
 * keeps is refused, a name it only waits for is broken and the waiter gets it, a marker that replaced the one read
 * stays, and a flock lock is refused, which the kernel frees by itself.
 */
class OperatorBreakTest {

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @TempDir
    Path dir;

    @AfterEach
    void uninstallHooks() {
        TestHooks.install(null);
    }

    @Test
    void aLiveChildJvmsSoftMarkerIsRemovedAndTheWarnNamesItsHolder() throws Exception {
        ChildProcess child = HolderChild.startHolding(children, dir, "job", LockType.SOFT);
        try (FileLockRegistry locks = soft(); LogCapture log = new LogCapture()) {
            Path marker = locks.diagnostics().lockFile("job");
            assertThat(locks.tryAcquire("job")).as("the child holds it").isEmpty();

            Optional<LockHolder> broken = locks.breakLock("job", "ticket OPS-7");

            assertThat(broken).get().satisfies(h -> assertThat(h.pid()).isEqualTo(child.pid()));
            assertThat(log.warnings()).anySatisfy(w -> assertThat(w).contains("Operator break of soft lock 'job'",
                    "requested by ticket OPS-7", "removed the claim at " + marker, "pid " + child.pid()));
            try (FileLockHold hold = locks.acquire("job", Duration.ZERO)) {
                assertThat(Files.readString(marker)).startsWith(ProcessHandle.current().pid() + "\n");
            }
        }
    }

    @Test
    void aMarkerAnotherHostLeftIsRemovedOnAnOperatorsWord() throws Exception {
        try (FileLockRegistry locks = soft(); LogCapture log = new LogCapture()) {
            Path marker = locks.diagnostics().lockFile("nightly");
            Files.writeString(marker, "4242\nbatch-7.cluster.example\n123456789\n", StandardCharsets.UTF_8);
            assertThat(locks.tryAcquire("nightly")).as("a fresh marker of another host holds").isEmpty();

            Optional<LockHolder> broken = locks.breakLock("nightly");

            assertThat(broken).get().satisfies(h -> {
                assertThat(h.pid()).isEqualTo(4242);
                assertThat(h.host()).isEqualTo("batch-7.cluster.example");
            });
            assertThat(marker).doesNotExist();
            assertThat(log.warnings()).anySatisfy(w -> assertThat(w).contains("pid 4242 on batch-7.cluster.example",
                    "requested by user " + System.getProperty("user.name") + " through the core API"));
            locks.acquire("nightly", Duration.ZERO).close();
        }
    }

    @Test
    void nothingToBreakIsEmptyAndLogsNoBreak() {
        try (FileLockRegistry locks = soft(); LogCapture log = new LogCapture()) {
            assertThat(locks.breakLock("free")).isEmpty();
            assertThat(log.warnings()).noneMatch(w -> w.contains("Operator break"));
        }
    }

    @Test
    void aNameThisJvmHoldsIsRefusedAndItsMarkerStays() throws Exception {
        try (FileLockRegistry locks = soft(); FileLockHold hold = locks.acquire("mine", Duration.ZERO)) {
            Path marker = locks.diagnostics().lockFile("mine");
            assertThatThrownBy(() -> locks.breakLock("mine")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Refusing to break lock 'mine': this JVM holds it (thread "
                            + Thread.currentThread().getName())
                    .hasMessageContaining("Release it here");
            assertThat(Files.readString(marker)).startsWith(ProcessHandle.current().pid() + "\n");
            assertThat(hold.isValid()).isTrue();
        }
    }

    @Test
    void aNameThisJvmKeepsForItsMinimumHoldIsRefusedAndItsMarkerStays() throws Exception {
        try (FileLockRegistry locks = soft()) {
            Path marker = locks.diagnostics().lockFile("kept");
            locks.acquire("kept", Duration.ZERO).closeHoldingAtLeast(Duration.ofMinutes(5));

            assertThatThrownBy(() -> locks.breakLock("kept")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("this JVM keeps it for its minimum hold time");
            assertThat(Files.readString(marker)).startsWith(ProcessHandle.current().pid() + "\n");
        }
    }

    // The audit WARN is one line whatever the requester or the name holds: a line break could forge another entry.
    @Test
    void theAuditWarnIsOneLineWhateverTheRequesterAndTheNameHold() throws Exception {
        String name = "nightly\nWARNING: forged";
        try (FileLockRegistry locks = soft(); LogCapture log = new LogCapture()) {
            Files.writeString(locks.diagnostics().lockFile(name), "4242\nbatch-7.cluster.example\n123456789\n",
                    StandardCharsets.UTF_8);

            locks.breakLock(name, "ops\r\nWARNING: Operator break of soft lock 'x', requested by principal 'bob'");

            assertThat(log.warnings()).filteredOn(w -> w.startsWith("Operator break")).singleElement()
                    .satisfies(w -> assertThat(w).doesNotContain("\n", "\r")
                            .contains("'nightly\\nWARNING: forged'", "requested by ops\\r\\nWARNING: Operator break"));
        }
    }

    // A fleet whose instances all queue on a stuck name must be unblockable from any of them: the waiter gets it.
    @Test
    void aNameThisJvmOnlyWaitsForIsBrokenAndTheWaiterGetsIt() throws Exception {
        try (FileLockRegistry locks = soft(); LogCapture log = new LogCapture()) {
            Path marker = locks.diagnostics().lockFile("queued");
            Files.writeString(marker, "4242\nbatch-7.cluster.example\n123456789\n", StandardCharsets.UTF_8);
            CompletableFuture<FileLockHold> waiting = locks.acquireAsync("queued", Duration.ofSeconds(60));
            try {
                Eventually.await("the async wait is listed", Duration.ofSeconds(10),
                        () -> !locks.diagnostics().waiters().isEmpty(), () -> "waiters: none");

                Optional<LockHolder> broken = locks.breakLock("queued", "ticket OPS-9");

                assertThat(broken).get().satisfies(h -> assertThat(h.host()).isEqualTo("batch-7.cluster.example"));
                assertThat(log.warnings()).anySatisfy(w -> assertThat(w).contains("Operator break of soft lock"
                        + " 'queued'", "requested by ticket OPS-9", "pid 4242 on batch-7.cluster.example"));
                try (FileLockHold hold = waiting.get(30, TimeUnit.SECONDS)) {
                    assertThat(hold.isValid()).isTrue();
                    assertThat(Files.readString(marker)).startsWith(ProcessHandle.current().pid() + "\n");
                }
            } finally {
                waiting.cancel(true);
            }
        }
    }

    /**
     * The holder read releases and a new holder takes the name between the read and the unlink. ext4 (the build's
     * disk) gives the new marker the inode just freed, so a break that compares only the inode removes the new
     * holder's marker and reports the old one as broken. The new marker must stay, and the break say it changed.
     */
    @Test
    void aMarkerThatReplacedTheOneReadBeforeTheUnlinkStays() throws Exception {
        String newHolder = "5151\nbatch-8.cluster.example\n987654321\n";
        try (FileLockRegistry locks = soft(); LogCapture log = new LogCapture()) {
            Path marker = locks.diagnostics().lockFile("handover");
            Files.writeString(marker, "4242\nbatch-7.cluster.example\n123456789\n", StandardCharsets.UTF_8);
            TestHooks.install((point, subject) -> {
                if (point.equals("SoftBackend.breaking") && marker.equals(subject)) {
                    try {
                        Files.delete(marker); // the old holder releases
                        Files.writeString(marker, newHolder, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });

            assertThatThrownBy(() -> locks.breakLock("handover")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("changed while it was being broken")
                    .hasMessageContaining("Inspect it again");

            assertThat(marker).hasContent(newHolder.strip());
            assertThat(log.warnings()).noneMatch(w -> w.contains("Operator break"));
            try (var left = Files.list(dir)) {
                assertThat(left).as("nothing left aside").containsExactly(marker);
            }
        }
    }

    /** The sentinel is no claim: the refusal (the endpoint's 400) says to break the name as strict-soft. */
    @Test
    void aStrictSoftSentinelUnderASoftNameIsRefusedWithTheReasonAndStays() throws Exception {
        try (FileLockRegistry locks = soft()) {
            Path sentinel = locks.diagnostics().lockFile("strict");
            Files.write(sentinel, "1\nfilelock-strict-v1\0\n0\n".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> locks.breakLock("strict")).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("StrictSoftFileLock sentinel").hasMessageContaining("strict-soft");
            assertThat(sentinel).exists();
        }
    }

    @Test
    void aFlockLockIsRefusedWithTheReasonAndStaysHeld() {
        ChildProcess child = HolderChild.startHolding(children, dir, "kernel", LockType.FLOCK);
        try (FileLockRegistry locks = FileLockRegistry.builder(dir).type(LockType.FLOCK).build()) {
            assertThatThrownBy(() -> locks.breakLock("kernel")).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("'flock' locks cannot be broken by an operator")
                    .hasMessageContaining("releases them when the holding process dies")
                    .hasMessageContaining(locks.diagnostics().lockFile("kernel").toString());
            assertThat(locks.tryAcquire("kernel")).as("still the child's").isEmpty();
            assertThat(child.process().isAlive()).isTrue();
        }
    }

    private FileLockRegistry soft() {
        return FileLockRegistry.builder(dir).type(LockType.SOFT).build();
    }
}
