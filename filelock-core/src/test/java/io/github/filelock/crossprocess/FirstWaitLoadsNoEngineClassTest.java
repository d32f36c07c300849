package io.github.filelock.crossprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first acquire of a JVM, one that waits in the kernel for another process and then holds the lock, loads no
 * class of this library: building the registry loaded them (issue 16). A class loaded on that path is loaded while
 * callers queue behind it, the first holder of a JVM that has just started among them. The child JVM logs every class
 * it loads ({@code -Xlog:class+load}); lambdas and the JDK's own classes are not counted.
 */
class FirstWaitLoadsNoEngineClassTest {

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @TempDir
    Path dir;

    @TempDir
    Path logs;

    @Test
    void theFirstAcquireWaitsAndHoldsWithoutLoadingAnEngineClass() throws Exception {
        Path lockFile = dir.resolve("job.lock");
        ChildProcess flock = children.command("flock", "-x", lockFile.toString(), "-c", "echo HELD; read line");
        flock.awaitLine("HELD", Duration.ofSeconds(10));
        Path log = logs.resolve("classes.log");

        ChildProcess child = children.jvm(List.of("-Xlog:class+load:file=" + log + ":none"), FirstWaitChild.class,
                dir, "job");
        assertThat(child.awaitLine("WAIT PATH", Duration.ofSeconds(30))).as("the test needs a wait in the caller's"
                + " own thread, which a local file system and the JDK's signal handler give").contains("caller thread");
        child.awaitLine("WAITING", Duration.ofSeconds(30));
        flock.send("release");
        child.awaitLine("GOT", Duration.ofSeconds(30));
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
