package io.github.filelock.crossprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import io.github.filelock.internal.TestHooks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A lock excludes only those who lock the same file. When the file at a lock path is no longer the one this
 * JVM has open (renamed away, or replaced while another link kept the old one alive, so its link count never
 * drops to 0), a lock on the old file excludes nobody who opens the path now. Such a handle is treated as a
 * deleted one: the acquirer reopens the path.
 */
@Timeout(60)
class ReplacedLockFileTest {

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @TempDir
    Path tmp;

    @AfterEach
    void uninstallHooks() {
        TestHooks.install(null);
    }

    @ParameterizedTest
    @EnumSource(value = LockType.class, names = {"FLOCK", "FILE_CHANNEL"})
    void aLockFileRenamedAwayIsNoticed(LockType type) throws Exception {
        assertReplacementNoticed(type, (dir, file) -> Files.move(file, tmp.resolve("job.lock.moved")));
    }

    @ParameterizedTest
    @EnumSource(value = LockType.class, names = {"FLOCK", "FILE_CHANNEL"})
    void aHardLinkedLockFileReplacedByRenameIsNoticed(LockType type) throws Exception {
        assertReplacementNoticed(type, (dir, file) -> {
            Files.createLink(tmp.resolve("snapshot-of-job.lock"), file); // as `cp -al` does: the old file lives on
            Path replacement = Files.writeString(dir.resolve("job.lock.new"), "");
            Files.move(replacement, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        });
    }

    /**
     * The path is swapped between the open and the moment the file key is read: a key read by path would then
     * be the new file's, and the lock taken on the old file would look valid. It must be read from the descriptor.
     */
    @Test
    void aFileChannelHandleKnowsTheFileItOpenedNotTheOneAtThePathLater() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("locks"));
        try (FileLockRegistry registry = FileLockRegistry.builder(dir).type(LockType.FILE_CHANNEL).build()) {
            Path file = registry.diagnostics().lockFile("job");
            Files.writeString(file, "");
            boolean[] swapped = {false};
            TestHooks.install((point, subject) -> {
                if (point.equals("ChannelBackend.opened") && file.equals(subject) && !swapped[0]) {
                    swapped[0] = true;
                    try {
                        Files.move(file, tmp.resolve("job.lock.old"));
                        Files.writeString(file, "");
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
            ProbeChild prober = ProbeChild.start(children, dir, LockType.FILE_CHANNEL);
            boolean childGotIt = OtherThread.call(() -> {
                try (FileLockHold hold = registry.acquire("job", Duration.ofSeconds(5))) {
                    return prober.canLock("job");
                }
            });
            assertThat(swapped[0]).as("the path was swapped under the open").isTrue();
            assertThat(childGotIt).as("another JVM took the lock file at the path: this JVM locked the file it"
                    + " opened, which was no longer there").isFalse();
        }
    }

    /** Replaces or moves away the lock file at {@code file} in {@code dir}. */
    @FunctionalInterface
    private interface FileSwap {
        void apply(Path dir, Path file) throws IOException;
    }

    // This JVM keeps "job" open, idle, while `swap` changes the file at its path: a new holder there must exclude us.
    private void assertReplacementNoticed(LockType type, FileSwap swap) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("locks"));
        try (FileLockRegistry registry = FileLockRegistry.builder(dir).type(type).build()) {
            swap.apply(dir, openIdle(registry, "job"));

            assertExcludedByANewHolder(registry, dir, type);
        }
    }

    // Acquires and releases `name`, so that this JVM keeps the file open, idle.
    private static Path openIdle(FileLockRegistry registry, String name) {
        try (FileLockHold hold = registry.acquire(name, Duration.ofSeconds(5))) {
            return hold.file();
        }
    }

    private void assertExcludedByANewHolder(FileLockRegistry registry, Path dir, LockType type)
            throws Exception {
        ChildProcess holder = HolderChild.startHolding(children, dir, "job", type);
        assertThat(takenOnce(registry)).as("this JVM got the lock while a child JVM holds the file now at the path")
                .isFalse();
        HolderChild.release(holder);
        assertThat(takenOnce(registry)).as("free once the child let go").isTrue();
    }

    private static boolean takenOnce(FileLockRegistry registry) throws Exception {
        return OtherThread.call(() -> {
            Optional<FileLockHold> taken = registry.tryAcquire("job");
            taken.ifPresent(FileLockHold::close);
            return taken.isPresent();
        });
    }
}
