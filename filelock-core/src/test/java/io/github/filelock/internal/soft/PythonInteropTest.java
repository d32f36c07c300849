package io.github.filelock.internal.soft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.FileLockTimeoutException;
import io.github.filelock.LockType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A python3 standard-library script that follows the soft marker protocol (as Python filelock's SoftFileLock
 * does) and a Java SOFT registry exclude each other, and each judges the other's dead holder's marker stale.
 */
class PythonInteropTest {

    static final String SCRIPT = """
            import os, socket, sys

            def start_token(pid):
                boot = int(open("/proc/sys/kernel/random/boot_id").read().strip().replace("-", ""), 16)
                stat = open(f"/proc/{pid}/stat", "rb").read()
                starttime = int(stat[stat.rfind(b")") + 1:].split()[19])
                return (boot << 64) | starttime

            def alive(pid):
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    return False
                except PermissionError:
                    return True
                return True

            def stale(path):
                pid, host, token = open(path).read().split("\\n")[:3]
                pid = int(pid)
                if host != socket.gethostname():
                    return False
                if not alive(pid):
                    return True
                return bool(token) and start_token(pid) != int(token)

            command, path = sys.argv[1], sys.argv[2]
            if command == "judge":
                print("STALE" if stale(path) else "LIVE", flush=True)
            elif command == "hold":
                try:
                    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, 0o644)
                except FileExistsError:
                    print("BUSY", flush=True)
                    sys.exit(0)
                os.write(fd, f"{os.getpid()}\\n{socket.gethostname()}\\n{start_token(os.getpid())}\\n".encode())
                print("HELD", flush=True)
                sys.stdin.readline()
                os.close(fd)
                os.unlink(path)
                print("RELEASED", flush=True)
            """;

    @TempDir
    Path dir;
    Path script;
    FileLockRegistry locks;

    @BeforeEach
    void setUp() throws Exception {
        script = Files.writeString(dir.resolve("soft_marker.py"), SCRIPT);
        locks = FileLockRegistry.builder(dir.resolve("locks")).type(LockType.SOFT).build();
    }

    @AfterEach
    void tearDown() {
        locks.close();
    }

    @Test
    void aJavaHolderExcludesPythonAndPythonSeesItLive() throws Exception {
        Path marker = locks.diagnostics().lockFile("shared");
        try (FileLockHold hold = locks.acquire("shared", Duration.ZERO)) {
            assertThat(python("hold", marker).read()).isEqualTo("BUSY");
            assertThat(python("judge", marker).read()).isEqualTo("LIVE");
        }
        try (Jvm py = python("hold", marker)) {
            assertThat(py.read()).as("free once Java released").isEqualTo("HELD");
        }
    }

    @Test
    void aPythonHolderExcludesJavaUntilItReleases() throws Exception {
        Path marker = locks.diagnostics().lockFile("shared");
        try (Jvm py = python("hold", marker)) {
            assertThat(py.read()).isEqualTo("HELD");
            assertThat(locks.tryAcquire("shared")).isEmpty();
            assertThatThrownBy(() -> locks.acquire("shared", Duration.ofMillis(100)))
                    .isInstanceOf(FileLockTimeoutException.class).hasMessageContaining("pid " + py.pid());
            assertThat(py.ask("")).isEqualTo("RELEASED");
            locks.acquire("shared", Duration.ofSeconds(5)).close();
        }
    }

    @Test
    void javaBreaksTheMarkerOfAKilledPythonHolder() throws Exception {
        Path marker = locks.diagnostics().lockFile("shared");
        try (Jvm py = python("hold", marker)) {
            assertThat(py.read()).isEqualTo("HELD");
            py.kill9();
        }
        assertThat(marker).exists();
        locks.acquire("shared", Duration.ofSeconds(5)).close();
    }

    @Test
    void pythonJudgesTheMarkerOfAKilledJvmStaleAndOfALiveOneLive() throws Exception {
        Path marker = locks.diagnostics().lockFile("shared");
        try (Jvm child = Jvm.softChild(dir.resolve("locks"))) {
            assertThat(child.ask("hold shared")).isEqualTo("HELD");
            assertThat(python("judge", marker).read()).isEqualTo("LIVE");
            child.kill9();
            assertThat(python("judge", marker).read()).isEqualTo("STALE");
        }
    }

    private Jvm python(String command, Path marker) throws Exception {
        return Jvm.start(List.of("python3", script.toString(), command, marker.toString()));
    }
}
