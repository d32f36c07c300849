package io.github.filelock.crossprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockHolder;
import io.github.filelock.LockType;
import io.github.filelock.internal.HolderRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The holder record is not written again while the file still holds this thread's record for the name (issue 16:
 * the uncontended path skips the {@code pwrite}), yet it is written again as soon as anybody else wrote the file,
 * whatever the size of what they wrote.
 */
@Timeout(60)
class HolderRecordRewriteTest {

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @TempDir
    Path dir;

    @Test
    void aRecordOfAnotherProcessInBetweenIsReplacedByOurs() throws Exception {
        try (FileLockRegistry registry = FileLockRegistry.builder(dir).build()) {
            Path file;
            try (FileLockHold hold = registry.acquire("orders", Duration.ofSeconds(5))) {
                file = hold.file();
            }
            assertThat(recordIn(file).pid()).isEqualTo(ProcessHandle.current().pid());

            // another process takes the lock in between and writes its own record
            ChildProcess other = HolderChild.startHolding(children, dir, "orders", LockType.FLOCK, "other");
            assertThat(recordIn(file).pid()).isEqualTo(other.pid());
            HolderChild.release(other);

            try (FileLockHold hold = registry.acquire("orders", Duration.ofSeconds(5))) {
                LockHolder ours = recordIn(file);
                assertThat(ours.pid()).as("our record again, not the other process's").isEqualTo(
                        ProcessHandle.current().pid());
                assertThat(ours.thread()).contains(Thread.currentThread().getName());
            }
        }
    }

    @Test
    void aForeignWriteOfTheSameSizeIsSeen() throws Exception {
        try (FileLockRegistry registry = FileLockRegistry.builder(dir).build()) {
            Path file;
            try (FileLockHold hold = registry.acquire("orders", Duration.ofSeconds(5))) {
                file = hold.file();
            }
            byte[] ours = Files.readAllBytes(file);
            byte[] foreign = new byte[ours.length]; // same size: only the mtime tells it apart
            java.util.Arrays.fill(foreign, (byte) 'x');
            Files.write(file, foreign);

            try (FileLockHold hold = registry.acquire("orders", Duration.ofSeconds(5))) {
                assertThat(recordIn(file).pid()).isEqualTo(ProcessHandle.current().pid());
            }
        }
    }

    @Test
    void anUnchangedRecordIsNotWrittenAgain() throws Exception {
        try (FileLockRegistry registry = FileLockRegistry.builder(dir).build()) {
            Path file;
            try (FileLockHold hold = registry.acquire("orders", Duration.ofSeconds(5))) {
                file = hold.file();
            }
            byte[] first = Files.readAllBytes(file);
            long modified = Files.getLastModifiedTime(file).toMillis();
            Thread.sleep(20); // past a coarse clock tick, so a write would show in the mtime
            try (FileLockHold hold = registry.acquire("orders", Duration.ofSeconds(5))) {
                assertThat(Files.readAllBytes(file)).as("the same record, acquired-at included").isEqualTo(first);
                assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(modified);
            }
        }
    }

    private static LockHolder recordIn(Path file) throws Exception {
        return HolderRecord.parse(Files.readAllBytes(file)).orElseThrow();
    }
}
