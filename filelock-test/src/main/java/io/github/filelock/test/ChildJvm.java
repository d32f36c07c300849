package io.github.filelock.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a main class with this JVM's class path, so a main in the test sources sees the same
 * libraries as the test. The test talks to it by lines: it waits for the lines the child prints (stderr is
 * merged in, so a failing child explains itself) and writes lines to its stdin. Closing it kills the child and
 * everything the child started.
 *
 * <pre>{@code
 * try (ChildJvm child = ChildJvm.start(MyTaskMain.class, "name=report")) {
 *     child.awaitLine("RUNNING", Duration.ofSeconds(60));
 *     ...
 * }
 * }</pre>
 */
public final class ChildJvm implements AutoCloseable {

    private final String label;
    private final Process process;
    private final BlockingQueue<String> unread = new LinkedBlockingQueue<>();
    private final List<String> printed = new ArrayList<>(); // guarded by itself
    private final Writer stdin;

    private ChildJvm(String label, Process process) {
        this.label = label;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readOutput, "output-of-" + label + "-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code main} in a new JVM with the arguments' string forms. Small heap, C1 only and CDS keep the
     * start-up cheap: these children wait far more than they compute.
     */
    public static ChildJvm start(Class<?> main, Object... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        for (Object arg : args) {
            command.add(String.valueOf(arg));
        }
        try {
            return new ChildJvm(main.getSimpleName(), new ProcessBuilder(command).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start a child JVM for " + main.getName(), e);
        }
    }

    private void readOutput() {
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                synchronized (printed) {
                    printed.add(line);
                }
                unread.add(line);
            }
        } catch (IOException e) {
            // the child was killed: its output ends here
        }
    }

    /**
     * Waits for the next line that starts with one of {@code prefixes}, skipping other lines, and returns it.
     *
     * @throws AssertionError with everything the child printed, when no such line comes within {@code timeout}
     */
    public String awaitLine(Duration timeout, String... prefixes) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left <= 0 ? null : unread.poll(left, TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError(label + " printed no line starting with " + List.of(prefixes)
                            + " within " + timeout + "; " + describe());
                }
                for (String prefix : prefixes) {
                    if (line.startsWith(prefix)) {
                        return line;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for " + label, e);
        }
    }

    /** Writes one line to the child's stdin. */
    public void send(String line) {
        try {
            stdin.write(line + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(label + " no longer reads its stdin; " + describe(), e);
        }
    }

    /**
     * Waits for the child to exit and returns its exit code.
     *
     * @throws AssertionError with the child's output when it is still running after {@code timeout}
     */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(label + " did not exit within " + timeout + "; " + describe());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for " + label + " to exit", e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the child printed so far. */
    public List<String> output() {
        synchronized (printed) {
            return List.copyOf(printed);
        }
    }

    /** The child's label, pid, state and output, for failure messages. */
    public String describe() {
        String state = process.isAlive() ? "running" : "exited with " + process.exitValue();
        return label + " (pid " + process.pid() + ", " + state + ") printed:\n  " + String.join("\n  ", output());
    }

    /** Kills the child (SIGKILL) and what it started, and waits until it is gone, so no lock outlives it. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return label + "[" + process.pid() + "]";
    }
}
