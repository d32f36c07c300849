package io.github.filelock.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Native;
import io.github.filelock.fuse.FuseMount;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file-system verifier for real: on the build's own disk (a child JVM, real flock, real links) and on a loopback
 * FUSE mount whose flock handler answers ENOLCK as NFS without lockd does. The recommendations must differ. The FUSE
 * test is skipped where FUSE cannot be mounted (no /dev/fuse, not root, no python3-fusepy).
 */
class VerifyFileSystemTest {

    @TempDir
    Path tmp;

    @Test
    void onTheBuildsDiskFlockExcludesAndIsRecommended() throws Exception {
        Path dir = tmp.resolve("locks");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        TypeAdvice.Advice advice = VerifyFileSystem.run(dir, new PrintStream(out, true, StandardCharsets.UTF_8));

        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(advice.type()).as(report).isEqualTo("flock");
        assertThat(report).contains("flock, 2 processes: EXCLUDES (refused while a child process (pid",
                "O_EXCL create:      ATOMIC", "hard links:         WORK", "mtime granularity:  ",
                "recommended type: flock", "Cross-host exclusion of flock cannot be proven from one host");
        try (var left = Files.list(dir)) {
            assertThat(left).as("the verifier tidies up").isEmpty();
        }
    }

    @Test
    void onAFuseMountThatRefusesFlockASoftTypeIsRecommended() throws Exception {
        try (FuseMount fuse = FuseMount.start(tmp, "noflockfs.py")) {
            Path mount = fuse.mount();
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            TypeAdvice.Advice advice = VerifyFileSystem.run(mount.resolve("locks"),
                    new PrintStream(out, true, StandardCharsets.UTF_8));

            String report = out.toString(StandardCharsets.UTF_8);
            assertThat(advice.type()).as(report).isEqualTo("strict-soft").isNotEqualTo("flock");
            assertThat(report).contains("mount:              " + mount + " (fuse from Loopback)",
                    "flock, 2 processes: REFUSED (", "No locks available", "O_EXCL create:      ATOMIC",
                    "hard links:         WORK", "recommended type: strict-soft", "flock is refused here",
                    "Cross-host exclusion of flock cannot be proven from one host");
        }
    }

    /**
     * Two runs on one directory at once (two operators, or one per host on a shared mount, as the advice asks): the
     * second must neither fail on the first's probe file nor delete it, which would hand the first a new file beside
     * the one its child locked, and a false DOES NOT EXCLUDE.
     */
    @Test
    void aSecondRunOnTheSameDirectoryLeavesTheFirstRunsProbeAlone() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("shared"));
        Path firstProbe = dir.resolve(".filelock-verify-flock");
        String classpath = System.getProperty("java.class.path");
        Process first = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, VerifyFileSystem.class.getName(), FlockExclusion.HOLD_FLAG, firstProbe.toString()))
                .start();
        try {
            String said = new java.io.BufferedReader(new java.io.InputStreamReader(first.getInputStream(),
                    StandardCharsets.UTF_8)).readLine();
            assertThat(said).isEqualTo("HELD");
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            TypeAdvice.Advice advice = VerifyFileSystem.run(dir, new PrintStream(out, true, StandardCharsets.UTF_8));

            assertThat(advice.type()).as(out.toString(StandardCharsets.UTF_8)).isEqualTo("flock");
            assertThat(firstProbe).as("the first run's probe").exists();
            try (var left = Files.list(dir)) {
                assertThat(left).as("the second run tidies only its own files").containsExactly(firstProbe);
            }
        } finally {
            first.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void theDocumentedCommandRunsOnFilelockCoreAndJnaAlone() throws Exception {
        String classpath = codeSource(VerifyFileSystem.class) + File.pathSeparator + codeSource(Native.class);
        Process verifier = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", classpath, VerifyFileSystem.class.getName(), tmp.resolve("cli").toString()))
                .redirectErrorStream(true).start();
        String output = new String(verifier.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(verifier.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(verifier.exitValue()).as(output).isZero();
        assertThat(output).contains("flock, 2 processes: EXCLUDES", "recommended type: flock");
    }

    @Test
    void withoutADirectoryItPrintsTheCommandAndExits2() throws Exception {
        String classpath = codeSource(VerifyFileSystem.class) + File.pathSeparator + codeSource(Native.class);
        Process verifier = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", classpath, VerifyFileSystem.class.getName())).redirectErrorStream(true).start();
        String output = new String(verifier.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(verifier.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(verifier.exitValue()).isEqualTo(2);
        assertThat(output).contains("Usage: java -cp filelock-core-<version>.jar:jna-<version>.jar"
                + " io.github.filelock.tools.VerifyFileSystem <directory on the mount to check>");
    }

    private static String codeSource(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
