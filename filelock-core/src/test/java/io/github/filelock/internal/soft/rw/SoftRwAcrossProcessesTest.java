package io.github.filelock.internal.soft.rw;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockMode;
import io.github.filelock.LockState;
import io.github.filelock.LockStatus;
import io.github.filelock.LockType;
import io.github.filelock.crossprocess.ChildProcess;
import io.github.filelock.crossprocess.ChildProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** soft-rw between real JVMs: readers share, a writer excludes, a waiting writer goes first, the dead are evicted. */
@Timeout(120)
class SoftRwAcrossProcessesTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @TempDir
    Path dir;

    FileLockRegistry locks;

    @BeforeEach
    void setUp() {
        locks = FileLockRegistry.builder(dir).type(LockType.SOFT_RW).softHeartbeat(RwChild.HEARTBEAT)
                .softStaleThreshold(RwChild.STALE).build();
    }

    @AfterEach
    void tearDown() {
        locks.close();
    }

    ChildProcess child() {
        ChildProcess child = children.jvm(RwChild.class, dir);
        child.awaitLine("READY", WAIT);
        return child;
    }

    static String ask(ChildProcess child, String command) {
        child.send(command);
        return child.awaitLine(line -> true, "an answer to " + command, WAIT);
    }

    @Test
    void readersInTwoJvmsShareAndKeepAWriterOut() throws Exception {
        ChildProcess a = child();
        ChildProcess b = child();
        assertThat(ask(a, "read idx")).isEqualTo("HELD");
        assertThat(ask(b, "try-read idx")).isEqualTo("HELD");
        assertThat(locks.tryAcquire("idx", LockMode.EXCLUSIVE, Duration.ofMillis(200))).isEmpty();
        awaitGone(dir.resolve("idx.lock.write")); // the timed-out writer gives its claim back within a poll
        LockStatus status = locks.diagnostics().inspect("idx");
        assertThat(status.state()).isEqualTo(LockState.HELD_BY_OTHER_PROCESS);
        assertThat(status.holder().orElseThrow().pid()).isIn(a.pid(), b.pid());
        assertThat(ask(a, "release")).isEqualTo("RELEASED");
        assertThat(ask(b, "release")).isEqualTo("RELEASED");
        locks.acquire("idx", Duration.ofSeconds(5)).close();
    }

    @Test
    void aWriterInAnotherJvmExcludesReadersAndWriters() throws Exception {
        ChildProcess writer = child();
        assertThat(ask(writer, "write idx")).isEqualTo("HELD");
        assertThat(locks.tryAcquire("idx", LockMode.SHARED, Duration.ofMillis(200))).isEmpty();
        assertThat(locks.tryAcquire("idx", LockMode.EXCLUSIVE, Duration.ofMillis(200))).isEmpty();
        assertThat(locks.diagnostics().inspect("idx").holder().orElseThrow().pid()).isEqualTo(writer.pid());
        assertThat(ask(writer, "release")).isEqualTo("RELEASED");
        locks.acquireShared("idx", Duration.ofSeconds(5)).close();
    }

    @Test
    void aWaitingWriterInAnotherJvmHoldsBackNewReaders() throws Exception {
        ChildProcess writer = child();
        try (FileLockHold read = locks.acquireShared("idx", Duration.ZERO)) {
            writer.send("write idx"); // waits for our reader, with its claim made
            awaitFile(dir.resolve("idx.lock.write"));
            ChildProcess lateReader = child();
            assertThat(ask(lateReader, "try-read idx")).as("a reader arriving after the writer").isEqualTo("BUSY");
        }
        assertThat(writer.awaitLine("HELD", WAIT)).isEqualTo("HELD");
        assertThat(ask(writer, "release")).isEqualTo("RELEASED");
    }

    @Test
    void aKilledReaderIsEvictedAfterTheStaleThresholdNotBefore() throws Exception {
        ChildProcess reader = child();
        assertThat(ask(reader, "read idx")).isEqualTo("HELD");
        reader.kill();
        long killed = System.nanoTime();
        Optional<FileLockHold> atOnce = locks.tryAcquire("idx", LockMode.EXCLUSIVE, Duration.ZERO);
        if (Duration.ofNanos(System.nanoTime() - killed).compareTo(RwChild.STALE) < 0) {
            assertThat(atOnce).as("the dead reader's marker is not stale yet").isEmpty();
        }
        atOnce.ifPresent(FileLockHold::close);
        try (FileLockHold write = locks.acquire("idx", Duration.ofSeconds(10))) {
            assertThat(Duration.ofNanos(System.nanoTime() - killed)).isGreaterThan(RwChild.STALE.minusMillis(300));
        }
    }

    @Test
    void aKilledWriterIsEvictedAfterTheStaleThreshold() throws Exception {
        ChildProcess writer = child();
        assertThat(ask(writer, "write idx")).isEqualTo("HELD");
        writer.kill();
        assertThat(locks.tryAcquire("idx", LockMode.SHARED, Duration.ZERO)).isEmpty();
        assertThat(dir.resolve("idx.lock.write")).exists();
        locks.acquireShared("idx", Duration.ofSeconds(10)).close();
        assertThat(dir.resolve("idx.lock.write")).doesNotExist();
    }

    static void awaitGone(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (Files.exists(file)) {
            assertThat(System.nanoTime() - deadline).as(file + " gone within 2 s").isNegative();
            Thread.sleep(5);
        }
    }

    static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.exists(file)) {
            assertThat(System.nanoTime() - deadline).as(file + " within " + WAIT).isNegative();
            Thread.sleep(5);
        }
    }
}
