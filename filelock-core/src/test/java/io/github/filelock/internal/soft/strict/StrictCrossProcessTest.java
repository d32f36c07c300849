package io.github.filelock.internal.soft.strict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.FileLockTimeoutException;
import io.github.filelock.LockHolder;
import io.github.filelock.LockState;
import io.github.filelock.LockType;
import io.github.filelock.crossprocess.ChildProcess;
import io.github.filelock.crossprocess.ChildProcesses;
import io.github.filelock.internal.FileSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** strict-soft between JVMs: exclusion, the holder in diagnostics, and a kill -9 that only an operator undoes. */
@Timeout(120)
class StrictCrossProcessTest {

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @TempDir
    Path tmp;
    FileLockRegistry locks;
    Path lockFile;

    @BeforeEach
    void setUp() {
        locks = FileLockRegistry.builder(tmp.resolve("locks")).type(LockType.STRICT_SOFT).build();
        lockFile = locks.diagnostics().lockFile("job");
    }

    @AfterEach
    void tearDown() {
        locks.close();
    }

    @Test
    void aHolderInAnotherJvmExcludesAndIsNamedAndAReleaseLetsTheNextIn() {
        ChildProcess child = holder();
        assertThat(locks.tryAcquire("job")).isEmpty();
        assertThat(locks.diagnostics().scan()).singleElement().satisfies(status -> {
            assertThat(status.state()).isEqualTo(LockState.HELD_BY_OTHER_PROCESS);
            assertThat(status.holder()).get().extracting(LockHolder::pid).isEqualTo(child.pid());
        });
        child.send("release");
        child.awaitLine("RELEASED", Duration.ofSeconds(30));
        locks.acquire("job", Duration.ofSeconds(10)).close();
    }

    @Test
    void aHolderKilledWithSigkillBlocksEveryoneHoursLaterUntilAnOperatorBreaksItsClaims() throws Exception {
        ChildProcess child = holder();
        child.kill();
        child.awaitExit(Duration.ofSeconds(30));
        FileTime old = FileTime.from(Instant.now().minus(Duration.ofHours(6)));
        try (Stream<Path> claims = Files.list(StrictPaths.claimsOf(lockFile))) {
            for (Path claim : claims.toList()) {
                Files.setLastModifiedTime(claim, old);
            }
        }
        assertThatThrownBy(() -> locks.acquire("job", Duration.ofSeconds(1)))
                .isInstanceOf(FileLockTimeoutException.class);
        assertThat(locks.diagnostics().inspect("job").holder()).get().extracting(LockHolder::pid)
                .isEqualTo(child.pid());

        StrictBackend operator = new StrictBackend(new FileSettings(lockFile.getParent(),
                PosixFilePermissions.fromString("rw-r--r--"), false), StrictBackend.DEFAULT_MAX_POLL);
        assertThat(operator.breakLock("job")).get().extracting(LockHolder::pid).isEqualTo(child.pid());
        locks.acquire("job", Duration.ofSeconds(10)).close();
    }

    @Test
    void threeJvmsCountingUnderTheLockLoseNoIncrement() throws Exception {
        Path counter = Files.writeString(tmp.resolve("counter"), "0");
        int rounds = 100;
        List<ChildProcess> jvms = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ChildProcess jvm = children.jvm(StrictChild.class, lockFile.getParent());
            jvm.awaitLine("READY", Duration.ofSeconds(60));
            jvms.add(jvm);
        }
        jvms.forEach(jvm -> jvm.send("count job " + counter + " " + rounds));
        jvms.forEach(jvm -> jvm.awaitLine("COUNTED", Duration.ofSeconds(100)));
        assertThat(Files.readString(counter)).isEqualTo(Integer.toString(3 * rounds));
    }

    /**
     * Linux takes any bytes as a host name. One with a space (or a line break) written as is into a claim makes the
     * claim malformed to every reader, its writer included: no strict lock could be taken on that host at all.
     */
    @Test
    void aHolderWhoseHostNameHasASpaceWritesAClaimEveryoneCanRead() throws Exception {
        Process probe = new ProcessBuilder("unshare", "--uts", "true").redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(probe.waitFor() == 0, "unshare --uts is not allowed here (it"
                + " needs root): skipping");
        String script = "python3 -c 'import socket; socket.sethostname(\"build agent\")' && exec \"$@\"";
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ChildProcess child = children.command("unshare", "--uts", "sh", "-c", script, "sh", java, "-Xmx64m",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), StrictChild.class.getName(),
                lockFile.getParent().toString());
        child.awaitLine("READY", Duration.ofSeconds(60));
        child.send("hold job");
        assertThat(child.awaitLine(l -> l.equals("HELD") || !l.startsWith("READY"), "HELD", Duration.ofSeconds(60)))
                .isEqualTo("HELD");
        assertThat(locks.tryAcquire("job")).isEmpty();
        assertThat(locks.diagnostics().inspect("job").holder()).get().extracting(LockHolder::pid)
                .isEqualTo(child.pid());
    }

    private ChildProcess holder() {
        ChildProcess child = children.jvm(StrictChild.class, lockFile.getParent());
        child.awaitLine("READY", Duration.ofSeconds(60));
        child.send("hold job");
        child.awaitLine("HELD", Duration.ofSeconds(60));
        return child;
    }
}
