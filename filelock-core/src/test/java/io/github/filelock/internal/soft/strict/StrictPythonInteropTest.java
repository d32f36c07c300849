package io.github.filelock.internal.soft.strict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.FileLockTimeoutException;
import io.github.filelock.LockHolder;
import io.github.filelock.LockType;
import io.github.filelock.crossprocess.ChildProcess;
import io.github.filelock.crossprocess.ChildProcesses;
import io.github.filelock.crossprocess.PythonFilelock;
import io.github.filelock.internal.FileSettings;
import io.github.filelock.internal.ProcessIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * strict-soft against the real Python filelock's {@code StrictSoftFileLock}, both ways: each excludes the other's
 * holder, each leaves the other's crashed holder's claims alone however old they look, and each can break the
 * other's claims on an operator's word.
 */
@Timeout(120)
class StrictPythonInteropTest {

    static final String SCRIPT = """
            import sys, time
            from filelock import StrictSoftFileLock, Timeout

            command, path = sys.argv[1], sys.argv[2]
            lock = StrictSoftFileLock(path)
            if command == "hold":
                lock.acquire(timeout=30)
                print("HELD", flush=True)
                sys.stdin.readline()
                lock.release()
                print("RELEASED", flush=True)
            elif command == "try":
                try:
                    lock.acquire(timeout=float(sys.argv[3]))
                except Timeout:
                    print("TIMEOUT", flush=True)
                else:
                    lock.release()
                    print("ACQUIRED", flush=True)
            elif command == "claims":
                for claim in lock.claims:
                    print(f"CLAIM {claim.name} {claim.state} {claim.token} {claim.pid} {claim.hostname}", flush=True)
                print("END", flush=True)
            elif command == "break":
                names = [claim.name for claim in lock.claims if claim.token == sys.argv[3]]
                for name in names:
                    lock.force_break(name)
                print("BROKEN " + " ".join(names), flush=True)
            elif command == "count":
                counter, rounds = sys.argv[3], int(sys.argv[4])
                print("COUNTING", flush=True)
                for _ in range(rounds):
                    with lock:
                        value = int(open(counter).read())
                        time.sleep(0.001)
                        open(counter, "w").write(str(value + 1))
                print("COUNTED", flush=True)
            """;

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @TempDir
    Path tmp;
    PythonFilelock python;
    FileLockRegistry locks;
    StrictBackend operator;
    Path lockFile;
    Path claims;

    @BeforeEach
    void setUp() {
        python = PythonFilelock.require();
        locks = FileLockRegistry.builder(tmp.resolve("locks")).type(LockType.STRICT_SOFT).build();
        lockFile = locks.diagnostics().lockFile("shared");
        claims = StrictPaths.claimsOf(lockFile);
        operator = new StrictBackend(new FileSettings(lockFile.getParent(), PosixFilePermissions.fromString(
                "rw-r--r--"), false), StrictBackend.DEFAULT_MAX_POLL);
    }

    @AfterEach
    void tearDown() {
        if (locks != null) {
            locks.close(); // null when python3 has no filelock and the test was skipped
        }
    }

    @Test
    void aJavaHolderMakesPythonTimeOutAndPythonEntersOnceJavaReleased() {
        try (FileLockHold hold = locks.acquire("shared", Duration.ZERO)) {
            assertThat(py("try", lockFile, 0.5).awaitLine("", Duration.ofSeconds(30))).isEqualTo("TIMEOUT");
            ChildProcess listing = py("claims", lockFile);
            assertThat(listing.awaitLine("CLAIM", Duration.ofSeconds(30))).as("Python parses Java's claim records")
                    .startsWith("CLAIM held-v1-").endsWith(" held " + token() + " " + ProcessIdentity.PID + " "
                            + ProcessIdentity.HOST);
            assertThat(listing.awaitLine("", Duration.ofSeconds(30))).startsWith("CLAIM intent-v1-" + token());
        }
        assertThat(py("try", lockFile, 5).awaitLine("", Duration.ofSeconds(30))).isEqualTo("ACQUIRED");
    }

    @Test
    void aPythonHolderMakesJavaTimeOutNamingItAndJavaEntersOncePythonReleased() {
        ChildProcess holder = py("hold", lockFile);
        holder.awaitLine("HELD", Duration.ofSeconds(30));
        assertThat(locks.tryAcquire("shared")).isEmpty();
        assertThatThrownBy(() -> locks.acquire("shared", Duration.ofMillis(300)))
                .isInstanceOf(FileLockTimeoutException.class);
        assertThat(locks.diagnostics().inspect("shared").holder()).get().satisfies(h -> {
            assertThat(h.pid()).isEqualTo(holder.pid());
            assertThat(h.host()).isEqualTo(ProcessIdentity.HOST);
        });
        holder.send("");
        holder.awaitLine("RELEASED", Duration.ofSeconds(30));
        locks.acquire("shared", Duration.ofSeconds(10)).close();
        assertThat(Files.exists(lockFile)).isTrue();
    }

    @Test
    void aKilledPythonHolderBlocksJavaHoursLaterUntilAnOperatorBreaksItsClaims() throws Exception {
        ChildProcess holder = py("hold", lockFile);
        holder.awaitLine("HELD", Duration.ofSeconds(30));
        holder.kill();
        holder.awaitExit(Duration.ofSeconds(30));
        ageEverything(Duration.ofHours(6));

        assertThat(locks.tryAcquire("shared")).isEmpty();
        assertThatThrownBy(() -> locks.acquire("shared", Duration.ofMillis(500)))
                .isInstanceOf(FileLockTimeoutException.class);
        assertThat(claimNames()).hasSize(2);

        Optional<LockHolder> broken = operator.breakLock("shared");
        assertThat(broken).get().extracting(LockHolder::pid).isEqualTo(holder.pid());
        assertThat(claimNames()).isEmpty();
        locks.acquire("shared", Duration.ofSeconds(10)).close();
    }

    @Test
    void aKilledJavaHolderBlocksPythonHoursLaterUntilPythonForceBreaksItsClaims() throws Exception {
        ChildProcess jvm = children.jvm(StrictChild.class, lockFile.getParent());
        jvm.awaitLine("READY", Duration.ofSeconds(60));
        jvm.send("hold shared");
        jvm.awaitLine("HELD", Duration.ofSeconds(60));
        jvm.kill();
        jvm.awaitExit(Duration.ofSeconds(30));
        ageEverything(Duration.ofHours(6));

        assertThat(py("try", lockFile, 1).awaitLine("", Duration.ofSeconds(30))).isEqualTo("TIMEOUT");
        String claim = py("claims", lockFile).awaitLine("CLAIM", Duration.ofSeconds(30));
        assertThat(claim).endsWith(" " + jvm.pid() + " " + ProcessIdentity.HOST);
        String token = claim.split(" ")[3];
        assertThat(py("break", lockFile, token).awaitLine("BROKEN", Duration.ofSeconds(30)))
                .contains("held-v1-" + token + ".claim", "intent-v1-" + token + ".claim");
        assertThat(py("try", lockFile, 5).awaitLine("", Duration.ofSeconds(30))).isEqualTo("ACQUIRED");
    }

    @Test
    void theSentinelJavaLeavesIsByteIdenticalToPythons() throws Exception {
        locks.acquire("shared", Duration.ZERO).close();
        Path pythons = Files.createDirectories(tmp.resolve("python")).resolve("shared.lock");
        assertThat(py("try", pythons, 5).awaitLine("", Duration.ofSeconds(30))).isEqualTo("ACQUIRED");
        assertThat(Files.readAllBytes(lockFile)).isEqualTo(Files.readAllBytes(pythons)).isEqualTo(Sentinel.RECORD);
    }

    @Test
    void javaAndPythonContendersNeverOverlap() throws Exception {
        Path counter = Files.writeString(tmp.resolve("counter"), "0");
        int rounds = 200;
        ChildProcess counting = py("count", lockFile, counter, rounds);
        counting.awaitLine("COUNTING", Duration.ofSeconds(30)); // both sides contend from here on
        CompletableFuture<Void> java = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < rounds; i++) {
                try (FileLockHold hold = locks.acquire("shared", Duration.ofSeconds(60))) {
                    int value = Integer.parseInt(Files.readString(counter));
                    Thread.sleep(1);
                    Files.writeString(counter, Integer.toString(value + 1));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        counting.awaitLine("COUNTED", Duration.ofSeconds(100));
        java.get(100, TimeUnit.SECONDS);
        assertThat(Files.readString(counter)).isEqualTo(Integer.toString(2 * rounds));
    }

    private ChildProcess py(String command, Path path, Object... more) {
        Object[] args = new Object[more.length + 2];
        args[0] = command;
        args[1] = path;
        System.arraycopy(more, 0, args, 2, more.length);
        return python.start(children, SCRIPT, args);
    }

    private String token() {
        try {
            return claimNames().get(0).substring("held-v1-".length(), "held-v1-".length() + 32);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> claimNames() throws Exception {
        try (Stream<Path> files = Files.list(claims)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    // Sets the mtime of the sentinel and every claim hours back: age must change nothing.
    private void ageEverything(Duration age) throws Exception {
        FileTime old = FileTime.from(Instant.now().minus(age));
        Files.setLastModifiedTime(lockFile, old);
        try (Stream<Path> files = Files.list(claims)) {
            for (Path claim : files.toList()) {
                Files.setLastModifiedTime(claim, old);
            }
        }
    }
}
