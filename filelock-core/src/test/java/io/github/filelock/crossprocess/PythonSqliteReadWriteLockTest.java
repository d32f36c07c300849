package io.github.filelock.crossprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockMode;
import io.github.filelock.LockType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the "From Python filelock" table says: Python's {@code ReadWriteLock} is a SQLite database (SQLite locks with
 * fcntl byte ranges), so Java's SHARED and EXCLUSIVE on flock do not exclude it even on the very same path. A Python
 * writer holds the lock; Java still gets it in both modes.
 */
class PythonSqliteReadWriteLockTest {

    private static final String WRITER = String.join("\n",
            "import sys",
            "from filelock import ReadWriteLock",
            "lock = ReadWriteLock(sys.argv[1], is_singleton=False)",
            "with lock.write_lock():",
            "    print('WRITING', flush=True)",
            "    sys.stdin.readline()");

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @TempDir
    Path dir;

    @Test
    void aPythonWriterDoesNotExcludeJavaSharedOrExclusiveOnFlock() throws Exception {
        PythonFilelock python = PythonFilelock.require();
        try (FileLockRegistry locks = FileLockRegistry.builder(dir).type(LockType.FLOCK).build()) {
            Path file = locks.diagnostics().lockFile("shared");
            ChildProcess writer = python.start(children, WRITER, file);
            writer.awaitLine("WRITING", Duration.ofSeconds(30));

            Optional<FileLockHold> shared = locks.tryAcquire("shared", LockMode.SHARED);
            assertThat(shared).as("Java SHARED beside a Python SQLite writer").isPresent();
            shared.get().close();
            Optional<FileLockHold> exclusive = locks.tryAcquire("shared", LockMode.EXCLUSIVE);
            assertThat(exclusive).as("Java EXCLUSIVE beside a Python SQLite writer").isPresent();
            exclusive.get().close();
        }
    }
}
