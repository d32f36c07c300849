package io.github.filelock.crossprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.FileLockTimeoutException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our locks and other flock(2) users exclude each other, both ways: the {@code flock(1)} shell tool and a
 * python3 standard-library {@code fcntl.flock} script. Plus the negative control that explains why the
 * engine uses flock: on Linux a {@code FileChannel.lock()} holder and a flock holder both "own" a file.
 */
@Timeout(60)
class FlockInteropTest {

    // hold: lock, say HELD <pid>, keep it until a line arrives on stdin. try: one attempt, exit 0 or 1.
    private static final String PYTHON_FLOCK = String.join("\n",
            "import fcntl, os, sys",
            "path, mode = sys.argv[1], sys.argv[2]",
            "fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)",
            "try:",
            "    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)",
            "except BlockingIOError:",
            "    print('BUSY', flush=True)",
            "    sys.exit(1)",
            "print('HELD', os.getpid(), flush=True)",
            "if mode == 'hold':",
            "    sys.stdin.readline()",
            "");

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @TempDir
    Path dir;

    private FileLockRegistry registry;
    private Path file;

    @BeforeEach
    void onLinuxWithTheTools() {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"), "Linux only");
        assumeTrue(onPath("flock") && onPath("python3"), "needs flock(1) and python3");
        registry = FileLockRegistry.builder(dir).build();
        file = registry.diagnostics().lockFile("shared");
    }

    @AfterEach
    void cleanUp() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void flockToolExcludesUsAndTheTimeoutNamesItsPid() throws Exception {
        ChildProcess flock = children.command("flock", "-x", file.toString(), "-c", "echo HELD; read line");
        flock.awaitLine("HELD", Duration.ofSeconds(10));

        assertForeignHolderExcludesUs(flock);
    }

    @Test
    void pythonFcntlFlockExcludesUsAndTheTimeoutNamesItsPid() throws Exception {
        ChildProcess python = children.command("python3", pythonScript(), file.toString(), "hold");
        python.awaitLine("HELD", Duration.ofSeconds(10));

        assertForeignHolderExcludesUs(python);
    }

    private void assertForeignHolderExcludesUs(ChildProcess holder) throws Exception {
        assertThat(registry.tryAcquire("shared")).isEmpty();
        FileLockTimeoutException timeout = catchThrowableOfType(
                () -> registry.acquire("shared", Duration.ofMillis(200)), FileLockTimeoutException.class);
        assertThat(timeout).isNotNull();
        assertThat(timeout.getMessage()).contains("held by pid " + holder.pid());

        CompletableFuture<Long> acquired = OtherThread.acquireAndRelease(registry, "shared", Duration.ofSeconds(30));
        Thread.sleep(200);
        assertThat(acquired).as("no hold while the foreign holder lives").isNotDone();
        holder.send("done");
        assertThat(holder.awaitExit(Duration.ofSeconds(10))).as(holder.describe()).isZero();
        OtherThread.await(acquired, Duration.ofSeconds(10));
    }

    @Test
    void weExcludeTheFlockTool() {
        try (FileLockHold hold = registry.acquire("shared", Duration.ofSeconds(5))) {
            assertThat(runFlock("-n")).as("flock -n while we hold").isEqualTo(1);
            long start = System.nanoTime();
            assertThat(runFlock("-w", "0.2")).as("flock -w 0.2 while we hold").isEqualTo(1);
            assertThat(System.nanoTime() - start).as("flock -w 0.2 really waited").isGreaterThan(200_000_000L);
        }
        assertThat(runFlock("-n")).as("flock -n after we released").isZero();
    }

    @Test
    void weExcludePythonFcntlFlock() throws IOException {
        String script = pythonScript();
        try (FileLockHold hold = registry.acquire("shared", Duration.ofSeconds(5))) {
            ChildProcess python = children.command("python3", script, file.toString(), "try");
            python.awaitLine("BUSY", Duration.ofSeconds(10));
            assertThat(python.awaitExit(Duration.ofSeconds(10))).isEqualTo(1);
        }
        ChildProcess python = children.command("python3", script, file.toString(), "try");
        python.awaitLine("HELD", Duration.ofSeconds(10));
        assertThat(python.awaitExit(Duration.ofSeconds(10))).isZero();
    }

    /**
     * The platform fact behind the design: FileChannel.lock() takes an fcntl record lock, which does not
     * conflict with flock(2) on Linux, so both "hold" the same file at once.
     */
    @Test
    void fileChannelLockAndFlockBothSucceedOnTheSameFile() {
        ChildProcess channelHolder = children.jvm(NioChannelLockChild.class, ChildArgs.arg("file", file));
        channelHolder.awaitLine("LOCKED", Duration.ofSeconds(30));

        assertThat(runFlock("-n")).as("flock -n while a FileChannel.lock() holder lives").isZero();
        assertThat(channelHolder.process().isAlive()).as("the FileChannel holder still holds").isTrue();
    }

    /** Runs {@code flock <options> <file> true} and returns its exit code (1 when it could not lock). */
    private int runFlock(String... options) {
        String[] command = new String[options.length + 3];
        command[0] = "flock";
        System.arraycopy(options, 0, command, 1, options.length);
        command[options.length + 1] = file.toString();
        command[options.length + 2] = "true";
        return children.command(command).awaitExit(Duration.ofSeconds(10));
    }

    private String pythonScript() throws IOException {
        Path script = dir.resolve("flock_holder.py");
        if (!Files.exists(script)) {
            Files.writeString(script, PYTHON_FLOCK);
        }
        return script.toString();
    }

    static boolean onPath(String tool) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(entry, tool))) {
                return true;
            }
        }
        return false;
    }
}
