package io.github.filelock.crossprocess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the children of one test and kills whatever is left of them when the test ends, so that no
 * child (or a command a child started) outlives its test and holds a lock into the next one. Register it
 * with {@code @RegisterExtension} and the cleanup runs after each test.
 *
 * <p>Child JVMs run the same java binary with this JVM's class path, so a child main class in the test
 * sources sees the engine under test. Small heap, C1 only and CDS keep their start-up cheap on a small
 * machine.
 */
public final class ChildProcesses implements AutoCloseable, AfterEachCallback {

    private final List<ChildProcess> started = new ArrayList<>();

    /** Starts {@code main} (a class with a main method in the test sources) in a fresh JVM. */
    public ChildProcess jvm(Class<?> main, Object... args) {
        return jvm(List.of(), main, args);
    }

    /** As {@link #jvm(Class, Object...)}, with {@code options} (such as {@code -Dkey=value}) for the child JVM. */
    public ChildProcess jvm(List<String> options, Class<?> main, Object... args) {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx64m", "-XX:TieredStopAtLevel=1",
                "-Xshare:auto"));
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        for (Object arg : args) {
            command.add(String.valueOf(arg));
        }
        return start(main.getSimpleName(), command);
    }

    /** Starts any other program, such as {@code flock(1)} or python3. */
    public ChildProcess command(String... command) {
        return command(Map.of(), command);
    }

    /** As {@link #command(String...)}, with {@code environment} added to this JVM's environment. */
    public ChildProcess command(Map<String, String> environment, String... command) {
        return start(Path.of(command[0]).getFileName().toString(), List.of(command), environment);
    }

    private ChildProcess start(String label, List<String> command) {
        return start(label, command, Map.of());
    }

    private synchronized ChildProcess start(String label, List<String> command, Map<String, String> environment) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            ChildProcess child = new ChildProcess(label, process);
            started.add(child);
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command, e);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    @Override
    public synchronized void close() {
        for (ChildProcess child : started) {
            child.killTree();
        }
        started.clear();
    }
}
