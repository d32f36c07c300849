package io.github.filelock.crossprocess;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A started child process (a JVM, {@code flock(1)}, python3) whose output lines the test can wait for and
 * whose stdin it can write. stderr is merged into stdout so that a failing child explains itself.
 */
public final class ChildProcess {

    private final String label;
    private final Process process;
    private final BlockingQueue<String> unread = new LinkedBlockingQueue<>();
    private final List<String> transcript = new ArrayList<>(); // guarded by itself
    private final Writer stdin;

    ChildProcess(String label, Process process) {
        this.label = label;
        this.process = process;
        this.stdin = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::pumpOutput, "output-of-" + label);
        reader.setDaemon(true);
        reader.start();
    }

    private void pumpOutput() {
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                synchronized (transcript) {
                    transcript.add(line);
                }
                unread.add(line);
            }
        } catch (IOException e) {
            // the process was destroyed: its output ends here
        }
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    /** Waits for the next line that starts with {@code prefix}, skipping others; fails with the transcript. */
    public String awaitLine(String prefix, Duration timeout) {
        return awaitLine(line -> line.startsWith(prefix), "a line starting with '" + prefix + "'", timeout);
    }

    public String awaitLine(Predicate<String> wanted, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left <= 0 ? null : unread.poll(left, TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError(label + " printed no " + what + " within " + timeout + "; "
                            + describe());
                }
                if (wanted.test(line)) {
                    return line;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + label, e);
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

    /** Closes the child's stdin, which the children here take as "release and exit". */
    public void closeStdin() {
        try {
            stdin.close();
        } catch (IOException e) {
            // already gone
        }
    }

    /** Waits for the child to exit and returns its exit code; fails if it does not exit in time. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(label + " did not exit within " + timeout + "; " + describe());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + label + " to exit", e);
        }
    }

    /** SIGKILL on Linux: the process gets no chance to release anything itself. */
    public void kill() {
        process.destroyForcibly();
    }

    /** Kills the child and everything it started (flock(1) leaves its command holding the lock). */
    void killTree() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public List<String> transcript() {
        synchronized (transcript) {
            return List.copyOf(transcript);
        }
    }

    public String describe() {
        String state = process.isAlive() ? "running" : "exited with " + process.exitValue();
        return label + " (pid " + process.pid() + ", " + state + ") printed:\n  "
                + String.join("\n  ", transcript());
    }

    @Override
    public String toString() {
        return label + "[" + process.pid() + "]";
    }
}
