package io.github.filelock.crossprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.filelock.internal.flock.FlockBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first acquires of a JVM, one that waits in the kernel for another process and one that queues behind it in the
 * JVM, and their holds and releases, load no class of this library: building the registry loaded them (issue 16). A
 * class loaded on that path is loaded while callers queue behind it, the first holder of a JVM just started among
 * them. The child JVM logs every class it loads ({@code -Xlog:class+load}); lambdas (whose call sites are linked on
 * first use all the same) and the JDK's own classes are not counted.
 */
class FirstWaitLoadsNoEngineClassTest {

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @TempDir
    Path dir;

    @TempDir
    Path logs;

    @BeforeEach
    void onLinuxWithFlock() {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"), "Linux only");
        assumeTrue(FlockInteropTest.onPath("flock"), "needs flock(1)");
    }

    @Test
    void theFirstAcquiresWaitQueueAndHoldWithoutLoadingAnEngineClass() throws Exception {
        Path lockFile = dir.resolve("job.lock");
        ChildProcess flock = children.command("flock", "-x", lockFile.toString(), "-c", "echo HELD; read line");
        flock.awaitLine("HELD", Duration.ofSeconds(10));
        Path log = logs.resolve("classes.log");

        ChildProcess child = children.jvm(List.of("-Xlog:class+load:file=" + log + ":none"), FirstWaitChild.class,
                dir, "job");
        assertThat(child.awaitLine(line -> line.equals("WAITING") || line.equals("HELPER WAIT"), "WAITING",
                Duration.ofSeconds(30))).as("the first acquire must wait in its own thread, which a local file system"
                + " and the JDK's signal handler give; " + FlockBackend.waitPath()).isEqualTo("WAITING");
        flock.send("release");
        child.awaitLine("GOT first", Duration.ofSeconds(30));
        child.awaitLine("GOT queued", Duration.ofSeconds(30));
        assertThat(child.awaitExit(Duration.ofSeconds(30))).isZero();

        List<String> loaded = Files.readAllLines(log).stream().map(line -> line.split(" ")[0]).toList();
        int mark = loaded.indexOf(FirstWaitChild.Mark.class.getName());
        assertThat(mark).as("the mark in the child's class-load log").isPositive();
        List<String> engineClassesLoadedByTheAcquire = loaded.subList(mark + 1, loaded.size()).stream()
                .filter(name -> name.startsWith("io.github.filelock.") && !name.contains("/0x")) // not lambdas
                .filter(name -> !name.startsWith(FirstWaitChild.class.getName()))
                .toList();
        assertThat(engineClassesLoadedByTheAcquire).as("classes of this library loaded by the first acquire").isEmpty();
    }
}
