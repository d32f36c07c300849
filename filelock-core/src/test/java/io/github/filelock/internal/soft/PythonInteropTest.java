package io.github.filelock.internal.soft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.FileLockTimeoutException;
import io.github.filelock.LockType;
import io.github.filelock.crossprocess.ChildProcess;
import io.github.filelock.crossprocess.ChildProcesses;
import io.github.filelock.crossprocess.PythonFilelock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code soft} type against the real Python filelock's {@code SoftFileLock} (3.30 or newer, see
 * {@link PythonFilelock}), both ways: each excludes the other, each breaks the marker of the other's holder killed
 * with {@code kill -9} on this host, and neither breaks a marker from another host, however old.
 */
class PythonInteropTest {

    static final Duration WAIT = Duration.ofSeconds(60);

    /**
     * {@code hold PATH [HOST]}: acquire, say HELD, release on a line from stdin (with HOST, write the marker as a
     * process on that host would: Python's own writer with another host name). {@code try PATH}: one acquire with
     * a 0.3 s timeout, say ACQUIRED (and release) or TIMEOUT.
     */
    static final String SCRIPT = """
            import sys
            import filelock
            from filelock import SoftFileLock, Timeout
            command, path = sys.argv[1], sys.argv[2]
            if len(sys.argv) > 3:
                import filelock._soft
                filelock._soft.host_name = lambda: sys.argv[3]
            if command == "hold":
                lock = SoftFileLock(path)
                lock.acquire()
                print("HELD", flush=True)
                sys.stdin.readline()
                lock.release()
                print("RELEASED", flush=True)
            else:
                try:
                    with SoftFileLock(path, timeout=0.3):
                        print("ACQUIRED", flush=True)
                except Timeout:
                    print("TIMEOUT", flush=True)
            """;

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @TempDir
    Path dir;
    PythonFilelock python;
    FileLockRegistry locks;
    Path marker;

    @BeforeEach
    void setUp() {
        python = PythonFilelock.require();
        locks = FileLockRegistry.builder(dir).type(LockType.SOFT).build();
        marker = locks.diagnostics().lockFile("shared");
    }

    @AfterEach
    void tearDown() {
        if (locks != null) { // null when setUp skipped the test: no Python filelock here
            locks.close();
        }
    }

    @Test
    void aJavaHolderMakesPythonTimeOutUntilItReleases() {
        try (var hold = locks.acquire("shared", Duration.ZERO)) {
            assertThat(pythonTry()).isEqualTo("TIMEOUT");
        }
        assertThat(pythonTry()).isEqualTo("ACQUIRED");
    }

    @Test
    void aPythonHolderMakesJavaTimeOutUntilItReleases() {
        ChildProcess py = python.start(children, SCRIPT, "hold", marker);
        py.awaitLine("HELD", WAIT);
        assertThat(locks.tryAcquire("shared")).isEmpty();
        assertThatThrownBy(() -> locks.acquire("shared", Duration.ofMillis(100)))
                .isInstanceOf(FileLockTimeoutException.class).hasMessageContaining("pid " + py.pid());
        py.send("");
        py.awaitLine("RELEASED", WAIT);
        locks.acquire("shared", Duration.ofSeconds(5)).close();
    }

    @Test
    void javaBreaksTheMarkerOfAPythonHolderKilledOnThisHost() throws Exception {
        ChildProcess py = python.start(children, SCRIPT, "hold", marker);
        py.awaitLine("HELD", WAIT);
        py.kill();
        assertThat(Files.readString(marker)).startsWith(py.pid() + "\n");
        locks.acquire("shared", Duration.ofSeconds(5)).close();
    }

    @Test
    void pythonBreaksTheMarkerOfAJvmKilledOnThisHost() throws Exception {
        ChildProcess jvm = children.jvm(SoftChild.class, dir);
        jvm.awaitLine("READY", WAIT);
        jvm.send("hold shared");
        jvm.awaitLine("HELD", WAIT);
        assertThat(pythonTry()).isEqualTo("TIMEOUT");
        jvm.kill();
        jvm.process().waitFor();
        assertThat(Files.readString(marker)).startsWith(jvm.pid() + "\n");
        assertThat(pythonTry()).isEqualTo("ACQUIRED");
    }

    @Test
    void javaDoesNotBreakAPythonMarkerFromAnotherHostHoursOld() throws Exception {
        ChildProcess py = python.start(children, SCRIPT, "hold", marker, "build-agent-7");
        py.awaitLine("HELD", WAIT);
        py.kill(); // crashed on its host: only an operator may clear its marker now
        py.process().waitFor();
        String written = Files.readString(marker);
        assertThat(written.split("\n")[1]).isEqualTo("build-agent-7");
        SoftFailClosedTest.hoursOld(marker);
        assertThat(locks.tryAcquire("shared")).isEmpty();
        assertThat(Files.readString(marker)).isEqualTo(written);
    }

    @Test
    void pythonDoesNotBreakAJavaMarkerFromAnotherHostHoursOld() throws Exception {
        // A JVM in its own UTS namespace has another host name, as on another machine, and writes it.
        requireUnshare("--uts");
        List<String> command = new ArrayList<>(List.of("unshare", "--uts", "sh", "-c",
                "hostname build-agent-8 && exec \"$@\"", "sh"));
        command.addAll(javaCommand());
        ChildProcess jvm = children.command(command.toArray(String[]::new));
        jvm.awaitLine("READY", WAIT);
        jvm.send("hold shared");
        jvm.awaitLine("HELD", WAIT);
        jvm.kill();
        jvm.process().waitFor();
        String written = Files.readString(marker);
        assertThat(written.split("\n")[1]).isEqualTo("build-agent-8");
        SoftFailClosedTest.hoursOld(marker);
        assertThat(pythonTry()).isEqualTo("TIMEOUT");
        assertThat(Files.readString(marker)).isEqualTo(written);
    }

    @Test
    void pythonDoesNotBreakAJavaMarkerFromAnotherPidNamespaceOfThisHost() throws Exception {
        requireUnshare("--pid", "--fork", "--mount-proc");
        List<String> command = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--mount-proc"));
        command.addAll(javaCommand());
        ChildProcess jvm = children.command(command.toArray(String[]::new));
        jvm.awaitLine("READY", WAIT);
        jvm.send("hold shared");
        jvm.awaitLine("HELD", WAIT);
        assertThat(Files.readString(marker).split("\n")[1]).contains("/pidns:");
        assertThat(pythonTry()).as("pid 1 here is init, not the holder").isEqualTo("TIMEOUT");
    }

    private String pythonTry() {
        ChildProcess py = python.start(children, SCRIPT, "try", marker);
        return py.awaitLine(l -> l.equals("ACQUIRED") || l.equals("TIMEOUT"), "ACQUIRED or TIMEOUT", WAIT);
    }

    private List<String> javaCommand() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp",
                System.getProperty("java.class.path"), SoftChild.class.getName(), dir.toString());
    }

    static void requireUnshare(String... options) throws Exception {
        List<String> probe = new ArrayList<>(List.of("unshare"));
        probe.addAll(List.of(options));
        probe.add("true");
        int exit;
        try {
            exit = new ProcessBuilder(probe).redirectErrorStream(true).start().waitFor();
        } catch (java.io.IOException e) {
            exit = -1;
        }
        Assumptions.assumeTrue(exit == 0, "unshare " + String.join(" ", options) + " is not allowed here (it needs"
                + " root or user namespaces): skipping");
    }
}
