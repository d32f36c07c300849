package io.github.filelock.crossprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockState;
import io.github.filelock.LockStatus;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a btrfs subvolume, {@code stat} reports another device number than the kernel's lock table uses, so a
 * lookup by stat device finds no lock and a held file looks free. A real btrfs image (under target/) is
 * loop-mounted with a subvolume; {@code flock(1)} holds a lock file in it, and inspect and scan must see it with
 * flock's pid. Needs root and a loop device (CI has both; {@code .ci/run} installs btrfs-progs).
 */
@Timeout(120)
class BtrfsKernelLocksTest {

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @TempDir
    Path mountPoint;

    @Test
    void aLockHeldOnABtrfsSubvolumeIsSeenWithItsPid() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/loop-control")) && "root".equals(System.getProperty("user.name")),
                "skipped: mounting a btrfs image needs root and a loop device");
        assertThat(run("mkfs.btrfs", "--version")).as("mkfs.btrfs from btrfs-progs (.ci/run installs it)").isZero();
        Path image = Files.createDirectories(Path.of("target"))
                .resolve("btrfs-" + ProcessHandle.current().pid() + ".img");
        try (RandomAccessFile sparse = new RandomAccessFile(image.toFile(), "rw")) {
            sparse.setLength(200L << 20);
        }
        try {
            assertThat(run("mkfs.btrfs", "-q", "-f", image.toString())).as("mkfs.btrfs").isZero();
            assertThat(run("mount", "-o", "loop", image.toString(), mountPoint.toString())).as("mount -o loop")
                    .isZero();
            try {
                assertThat(run("btrfs", "subvolume", "create", mountPoint.resolve("sub").toString())).isZero();
                assertHeldLockIsSeen(mountPoint.resolve("sub").resolve("locks"));
            } finally {
                children.close(); // flock(1) must let go of the file before the unmount
                unmount();
            }
        } finally {
            Files.deleteIfExists(image);
        }
    }

    private void assertHeldLockIsSeen(Path dir) throws IOException {
        try (FileLockRegistry registry = FileLockRegistry.builder(dir).build()) {
            Path file = registry.diagnostics().lockFile("report");
            Files.writeString(file, "");
            ChildProcess flock = children.command("flock", "-o", "-x", file.toString(), "sh", "-c", "echo HELD; cat");
            flock.awaitLine("HELD", Duration.ofSeconds(20));

            LockStatus status = registry.diagnostics().inspect("report");
            assertThat(status.state()).as("inspect of a file flock(1) holds on a btrfs subvolume")
                    .isEqualTo(LockState.HELD_BY_OTHER_PROCESS);
            assertThat(status.kernelPid()).hasValue(flock.pid());
            assertThat(registry.diagnostics().scan()).extracting(LockStatus::state)
                    .containsExactly(LockState.HELD_BY_OTHER_PROCESS);
        }
    }

    // A process that just exited can keep the mount busy for a moment (its files are closed as it is reaped), so
    // the unmount is retried for a while before it counts as a failure.
    private void unmount() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (run("umount", mountPoint.toString()) != 0) {
            assertThat(System.nanoTime() < deadline).as("umount " + mountPoint + " within 30 s").isTrue();
            Thread.sleep(100);
        }
    }

    private static int run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish");
        }
        if (process.exitValue() != 0) {
            System.out.println(String.join(" ", command) + ": " + output);
        }
        return process.exitValue();
    }
}
