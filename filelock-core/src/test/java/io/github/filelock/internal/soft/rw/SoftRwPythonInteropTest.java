package io.github.filelock.internal.soft.rw;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockMode;
import io.github.filelock.LockType;
import io.github.filelock.crossprocess.ChildProcess;
import io.github.filelock.crossprocess.ChildProcesses;
import io.github.filelock.crossprocess.PythonFilelock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * soft-rw against the real Python filelock's {@code SoftReadWriteLock} on the same lock path, both ways: readers of
 * either share, a writer of either excludes both, a waiting Python writer holds back Java readers, and a killed
 * Python holder is evicted by Java after the stale threshold.
 */
@Timeout(120)
class SoftRwPythonInteropTest {

    /** {@code python3 -c SCRIPT PATH MODE BLOCKING}: HELD or BUSY, then RELEASED on a line of stdin. */
    static final String SCRIPT = """
            import sys
            from filelock import SoftReadWriteLock, Timeout
            path, mode, blocking = sys.argv[1], sys.argv[2], sys.argv[3] == "wait"
            lock = SoftReadWriteLock(path, heartbeat_interval=0.1, stale_threshold=2.0, poll_interval=0.01,
                                     is_singleton=False)
            try:
                (lock.acquire_read if mode == "read" else lock.acquire_write)(timeout=30, blocking=blocking)
            except Timeout:
                print("BUSY", flush=True)
                sys.exit(0)
            print("HELD", flush=True)
            sys.stdin.readline()
            lock.release()
            print("RELEASED", flush=True)
            """;

    static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @TempDir
    Path dir;

    FileLockRegistry locks;
    PythonFilelock python;

    @BeforeEach
    void setUp() {
        python = PythonFilelock.require();
        locks = FileLockRegistry.builder(dir).type(LockType.SOFT_RW).softHeartbeat(RwChild.HEARTBEAT)
                .softStaleThreshold(RwChild.STALE).build();
    }

    @AfterEach
    void tearDown() {
        if (locks != null) {
            locks.close();
        }
    }

    ChildProcess python(String mode, String blocking) {
        return python.start(children, SCRIPT, locks.diagnostics().lockFile("idx"), mode, blocking);
    }

    static String next(ChildProcess child) {
        return child.awaitLine(line -> true, "an answer", WAIT);
    }

    @Test
    void javaAndPythonReadersShare() throws Exception {
        try (FileLockHold read = locks.acquireShared("idx", Duration.ZERO)) {
            ChildProcess py = python("read", "try");
            assertThat(next(py)).as("a Python reader beside a Java reader").isEqualTo("HELD");
            try (FileLockHold second = locks.acquireShared("idx", Duration.ZERO)) {
                assertThat(second).isNotNull();
            }
            py.send("");
            assertThat(next(py)).isEqualTo("RELEASED");
        }
        ChildProcess py = python("read", "try");
        assertThat(next(py)).isEqualTo("HELD");
        locks.acquireShared("idx", Duration.ZERO).close();
        assertThat(locks.tryAcquire("idx", LockMode.EXCLUSIVE, Duration.ofMillis(100)))
                .as("a Java writer beside a Python reader").isEmpty();
        py.send("");
        assertThat(next(py)).isEqualTo("RELEASED");
    }

    @Test
    void aJavaWriterExcludesPythonReadersAndWriters() throws Exception {
        try (FileLockHold write = locks.acquire("idx", Duration.ZERO)) {
            assertThat(next(python("read", "try"))).isEqualTo("BUSY");
            assertThat(next(python("write", "try"))).isEqualTo("BUSY");
        }
        ChildProcess py = python("write", "try");
        assertThat(next(py)).as("free once Java released").isEqualTo("HELD");
        py.send("");
        assertThat(next(py)).isEqualTo("RELEASED");
    }

    @Test
    void aPythonWriterExcludesJavaReadersAndWriters() throws Exception {
        ChildProcess py = python("write", "try");
        assertThat(next(py)).isEqualTo("HELD");
        assertThat(locks.tryAcquire("idx", LockMode.SHARED, Duration.ofMillis(200))).isEmpty();
        assertThat(locks.tryAcquire("idx", LockMode.EXCLUSIVE, Duration.ofMillis(200))).isEmpty();
        assertThat(locks.diagnostics().inspect("idx").holder().orElseThrow().pid()).isEqualTo(py.pid());
        py.send("");
        assertThat(next(py)).isEqualTo("RELEASED");
        locks.acquireShared("idx", Duration.ofSeconds(5)).close();
    }

    @Test
    void aWaitingPythonWriterHoldsBackNewJavaReaders() throws Exception {
        try (FileLockHold read = locks.acquireShared("idx", Duration.ZERO)) {
            ChildProcess writer = python("write", "wait");
            SoftRwAcrossProcessesTest.awaitFile(dir.resolve("idx.lock.write"));
            ChildProcess lateReader = children.jvm(RwChild.class, dir);
            lateReader.awaitLine("READY", WAIT);
            lateReader.send("try-read idx");
            assertThat(lateReader.awaitLine(line -> true, "an answer", WAIT))
                    .as("a new Java reader behind a waiting Python writer").isEqualTo("BUSY");
            read.close();
            assertThat(next(writer)).isEqualTo("HELD");
            writer.send("");
            assertThat(next(writer)).isEqualTo("RELEASED");
        }
    }

    @Test
    void aWaitingJavaWriterHoldsBackNewPythonReaders() throws Exception {
        ChildProcess reader = python("read", "try");
        assertThat(next(reader)).isEqualTo("HELD");
        java.util.concurrent.CompletableFuture<FileLockHold> writing = locks.acquireAsync("idx",
                Duration.ofSeconds(30));
        SoftRwAcrossProcessesTest.awaitFile(dir.resolve("idx.lock.write"));
        assertThat(next(python("read", "try"))).as("a new Python reader behind a waiting Java writer")
                .isEqualTo("BUSY");
        reader.send("");
        assertThat(next(reader)).isEqualTo("RELEASED");
        writing.get(10, java.util.concurrent.TimeUnit.SECONDS).close();
    }

    @Test
    void eachSidesHeartbeatKeepsItsMarkerPastTheOthersStaleThreshold() throws Exception {
        Duration pastThreshold = RwChild.STALE.multipliedBy(2); // Python's threshold is the same 2 s
        try (FileLockHold read = locks.acquireShared("idx", Duration.ZERO)) {
            Thread.sleep(pastThreshold.toMillis());
            assertThat(next(python("write", "try"))).as("Python does not evict a refreshed Java reader")
                    .isEqualTo("BUSY");
            assertThat(read.isValid()).isTrue();
        }
        ChildProcess py = python("read", "try");
        assertThat(next(py)).isEqualTo("HELD");
        Thread.sleep(pastThreshold.toMillis());
        assertThat(locks.tryAcquire("idx", LockMode.EXCLUSIVE, Duration.ofMillis(300)))
                .as("Java does not evict a refreshed Python reader").isEmpty();
        py.send("");
        assertThat(next(py)).isEqualTo("RELEASED");
    }

    @Test
    void aKilledPythonReaderIsEvictedByAJavaWriterAfterTheStaleThreshold() throws Exception {
        ChildProcess py = python("read", "try");
        assertThat(next(py)).isEqualTo("HELD");
        py.kill();
        long killed = System.nanoTime();
        try (FileLockHold write = locks.acquire("idx", Duration.ofSeconds(10))) {
            assertThat(Duration.ofNanos(System.nanoTime() - killed)).isGreaterThan(RwChild.STALE.minusMillis(300));
        }
    }

    @Test
    void pythonEvictsAKilledJavaWriter() throws Exception {
        ChildProcess java = children.jvm(RwChild.class, dir);
        java.awaitLine("READY", WAIT);
        java.send("write idx");
        assertThat(java.awaitLine("HELD", WAIT)).isEqualTo("HELD");
        java.kill();
        ChildProcess py = python("read", "wait");
        assertThat(next(py)).as("after Java's stale marker is evicted").isEqualTo("HELD");
        py.send("");
        assertThat(next(py)).isEqualTo("RELEASED");
    }
}
