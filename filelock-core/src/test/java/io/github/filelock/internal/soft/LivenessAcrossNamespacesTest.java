package io.github.filelock.internal.soft;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import io.github.filelock.crossprocess.ChildProcess;
import io.github.filelock.crossprocess.ChildProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 * A live holder whose pid this process cannot see must not look dead: a holder in another pid namespace on this host
 * (two containers of one pod share a host name and a volume), and a holder hidden by {@code /proc}'s {@code hidepid}.
 * Real namespaces and mounts ({@code unshare}, as root); skipped where they cannot be made.
 */
class LivenessAcrossNamespacesTest {

    static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @TempDir
    Path dir;
    FileLockRegistry locks;

    @BeforeEach
    void setUp() {
        locks = FileLockRegistry.builder(dir).type(LockType.SOFT).build();
    }

    @AfterEach
    void tearDown() {
        locks.close();
    }

    @Test
    void aJavaHolderInAnotherPidNamespaceOfThisHostIsNotBroken() throws Exception {
        requireUnshare("--pid", "--fork", "--mount-proc");
        ChildProcess holder = children.command(command(List.of("unshare", "--pid", "--fork", "--mount-proc")));
        holder.awaitLine("READY", WAIT);
        holder.send("hold pod");
        holder.awaitLine("HELD", WAIT);
        Path marker = locks.diagnostics().lockFile("pod");
        String written = Files.readString(marker);

        assertThat(locks.tryAcquire("pod")).as("the holder is alive in its own pid namespace").isEmpty();
        assertThat(Files.readString(marker)).isEqualTo(written);
        String[] lines = written.split("\n");
        assertThat(lines[1]).as("the host field names the pid namespace")
                .startsWith(SoftLockTest.hostname() + "/pidns:").isNotEqualTo(SoftLockTest.hostname());
    }

    /** Inside a pid namespace, a marker with the bare host name names a pid of another namespace: never probed. */
    @Test
    void aJavaProcessInAnotherPidNamespaceDoesNotProbeABareHostMarker() throws Exception {
        requireUnshare("--pid", "--fork", "--mount-proc");
        Path marker = locks.diagnostics().lockFile("outside");
        // pid 1 exists in every namespace, and in the child's it is the child itself: probing it would find the
        // child alive with another start token than init's, and break the marker.
        SoftLockTest.writeMarker(marker, "1\n" + SoftLockTest.hostname() + "\n" + SoftLockTest.startToken(1).add(
                java.math.BigInteger.ONE) + "\n");
        ChildProcess contender = children.command(command(List.of("unshare", "--pid", "--fork", "--mount-proc")));
        contender.awaitLine("READY", WAIT);
        contender.send("try outside");
        assertThat(contender.awaitLine(l -> l.equals("WON") || l.equals("BUSY"), "WON or BUSY", WAIT))
                .isEqualTo("BUSY");
        locks.acquire("outside", Duration.ZERO).close(); // here, in the initial namespace, the token proves reuse
    }

    @Test
    void aLiveHolderThatHidepidHidesIsNotBroken() throws Exception {
        requireUnshare("--mount");
        try (FileLockHold hold = locks.acquire("hidden", Duration.ZERO)) {
            // The contender runs as user nobody, group root (the lock directory is group-writable), under a proc
            // mount with hidepid=2 where it cannot see this root-owned process (gid=65533: the default exempts group
            // root). It keeps CAP_DAC_OVERRIDE only to read the class path under /root.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwx---"));
            String script = "mount -t proc -o hidepid=2,gid=65533 proc /proc && exec setpriv --reuid=65534 --regid=0"
                    + " --groups=0 --inh-caps=+dac_override --ambient-caps=+dac_override \"$@\"";
            List<String> prefix = List.of("unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh");
            ChildProcess contender = children.command(command(prefix));
            contender.awaitLine("READY", WAIT);
            contender.send("try hidden");
            assertThat(contender.awaitLine(l -> l.equals("WON") || l.equals("BUSY"), "WON or BUSY", WAIT))
                    .isEqualTo("BUSY");
        }
    }

    /**
     * Linux takes any bytes as a host name. One with a line break would make the marker more than three lines, which
     * every reader (Java and Python) takes for a malformed marker and breaks two seconds later, under a live holder.
     */
    @Test
    void aJavaHolderWhoseHostNameHasALineBreakIsNotBroken() throws Exception {
        requireUnshare("--uts");
        String script = "python3 -c 'import socket; socket.sethostname(\"pod\\nb\")' && exec \"$@\"";
        ChildProcess holder = children.command(command(List.of("unshare", "--uts", "sh", "-c", script, "sh")));
        holder.awaitLine("READY", WAIT);
        holder.send("hold newline");
        holder.awaitLine("HELD", WAIT);
        Path marker = locks.diagnostics().lockFile("newline");
        String written = Files.readString(marker);

        assertThat(locks.tryAcquire("newline", Duration.ofSeconds(3)))
                .as("the holder is alive; its marker was '%s'", written.replace("\n", "\\n")).isEmpty();
        assertThat(Files.readString(marker)).isEqualTo(written);
    }

    private String[] command(List<String> prefix) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp",
                System.getProperty("java.class.path"), SoftChild.class.getName(), dir.toString()));
        return command.toArray(String[]::new);
    }

    private static void requireUnshare(String... options) throws Exception {
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
                + " root or user namespaces): skipping the namespace test");
    }
}
