package io.github.filelock.crossprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockRegistry;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * With deleteIdleLockFiles, this registry deletes only lock files of names it locked itself. Tools that share
 * the directory and do not check that their file is still linked after locking ({@code flock(1)}, Python's
 * {@code fcntl.flock}) would otherwise let two holders in: one locks the deleted file, the next a new one.
 */
@Timeout(60)
class ForeignLockFilesTest {

    // Holds `lock` in a loop; inside, creates `marker` exclusively (a second holder finds it there) and checks
    // that the locked file is still linked. Prints the counts when `seconds` have passed.
    private static final String PYTHON_HOLDER = String.join("\n",
            "import fcntl, os, sys, time",
            "lock, marker, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])",
            "two = orphans = rounds = 0",
            "print('READY', flush=True)",
            "end = time.monotonic() + seconds",
            "while time.monotonic() < end:",
            "    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)",
            "    fcntl.flock(fd, fcntl.LOCK_EX)",
            "    if os.fstat(fd).st_nlink == 0: orphans += 1",
            "    try:",
            "        os.close(os.open(marker, os.O_CREAT | os.O_EXCL))",
            "        time.sleep(0.0005)",
            "        os.unlink(marker)",
            "    except FileExistsError:",
            "        two += 1",
            "    fcntl.flock(fd, fcntl.LOCK_UN)",
            "    os.close(fd)",
            "    rounds += 1",
            "print('DONE two_holders=%d orphans=%d rounds=%d' % (two, orphans, rounds), flush=True)");

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @TempDir
    Path tmp;

    @Test
    void scanAndEvictionNeverDeleteTheFileOfANameThisRegistryNeverLocked() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("locks"));
        Path foreign = dir.resolve("shared-with-python.lock");
        Path marker = tmp.resolve("inside");
        List<ChildProcess> pythons = List.of(python(foreign, marker), python(foreign, marker));
        for (ChildProcess python : pythons) {
            python.awaitLine("READY", Duration.ofSeconds(20));
        }
        Object fileKey = null;
        try (FileLockRegistry registry = FileLockRegistry.builder(dir).maxOpenFiles(1).deleteIdleLockFiles(true)
                .build()) {
            long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            int round = 0;
            while (System.nanoTime() < end) {
                if (fileKey == null && Files.exists(foreign)) {
                    fileKey = key(foreign);
                }
                registry.diagnostics().scan(); // opens every lock file in the directory, the foreign one too
                registry.acquire("app-" + (round++ % 3), Duration.ofSeconds(5)).close(); // evicts (maxOpenFiles=1)
            }
        }
        for (ChildProcess python : pythons) {
            String done = python.awaitLine("DONE", Duration.ofSeconds(20));
            assertThat(done).as(python.describe()).contains("two_holders=0 ", "orphans=0 ");
        }
        assertThat(fileKey).as("the python holders created their lock file").isNotNull();
        assertThat(key(foreign)).as("the foreign lock file is still the same file: this registry never deleted it")
                .isEqualTo(fileKey);
    }

    private ChildProcess python(Path lock, Path marker) {
        return children.command("python3", "-c", PYTHON_HOLDER, lock.toString(), marker.toString(), "4");
    }

    private static Object key(Path file) throws Exception {
        return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }
}
