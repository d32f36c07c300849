package io.github.filelock.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts child processes with their output in log files, and waits for all of them to succeed. */
public final class ChildProcesses {

    private final List<Process> processes = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();
    private final Path logDir;

    public ChildProcesses(Path logDir) {
        this.logDir = logDir;
    }

    public Process start(String label, List<String> command) {
        Path log = logDir.resolve(label + ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            processes.add(process);
            logs.add(log);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command.get(0) + " for " + label, e);
        }
    }

    /** Waits for every child; one that fails or overruns fails the measurement, with its log. */
    public void awaitAll(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (int i = 0; i < processes.size(); i++) {
                Process process = processes.get(i);
                long left = deadline - System.nanoTime();
                if (!process.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                    destroyAll();
                    throw new IllegalStateException("Child " + logs.get(i).getFileName() + " did not finish within "
                            + timeout + ":\n" + tail(logs.get(i)));
                }
                if (process.exitValue() != 0) {
                    destroyAll();
                    throw new IllegalStateException("Child " + logs.get(i).getFileName() + " exited with "
                            + process.exitValue() + ":\n" + tail(logs.get(i)));
                }
            }
        } catch (InterruptedException e) {
            destroyAll();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for child processes", e);
        }
    }

    public void destroyAll() {
        processes.forEach(Process::destroyForcibly);
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log);
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
