package io.github.filelock.benchmarks.contention;

import io.github.filelock.benchmarks.BenchDirs;
import io.github.filelock.benchmarks.ChildJvm;
import io.github.filelock.benchmarks.ChildProcesses;
import io.github.filelock.benchmarks.LatencyStats;
import io.github.filelock.benchmarks.PythonScripts;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code processes} x {@code threads} x {@code increments} read-modify-write increments of one counter
 * file under one lock, from separate processes released together. The longest single wait is the
 * fairness figure: an unfair lock lets one process barge again and again while another starves.
 */
public final class ContentionHarness {

    /** Each thread's first acquisitions, left out of {@link ContentionResult#longestAfterWarmUpNanos()}. */
    public static final int WARM_UP_ACQUISITIONS = 5;
    /** Rounds each worker runs: the first in JVMs that have just started, the second in the same JVMs, warm. */
    public static final int ROUNDS = 2;

    private final int processes;
    private final int threads;
    private final int increments;
    private final boolean quickStart;

    public ContentionHarness(int processes, int threads, int increments, boolean quickStart) {
        this.processes = processes;
        this.threads = threads;
        this.increments = increments;
        this.quickStart = quickStart;
    }

    /** JVMs using {@code FileLockRegistry}. */
    public ContentionRounds javaWorkers() throws IOException {
        return javaWorkers("registry");
    }

    /** JVMs locking with {@code lock}, one of {@link CounterWorker}'s kinds. */
    public ContentionRounds javaWorkers(String lock) throws IOException {
        return run("java-" + lock, (dir, i) -> {
            List<String> args = new ArrayList<>(workerArgs(dir, i));
            args.add(lock);
            return ChildJvm.command(CounterWorker.class, "64m", quickStart, args);
        });
    }

    /** python3 processes that poll {@code flock(LOCK_EX|LOCK_NB)} every {@code pollSeconds}, as filelock does. */
    public ContentionRounds pythonWorkers(double pollSeconds) throws IOException {
        return run("python", (dir, i) -> {
            List<String> args = new ArrayList<>(workerArgs(dir, i));
            args.add(Double.toString(pollSeconds));
            return PythonScripts.command("counter_worker.py", dir, args);
        });
    }

    private interface WorkerCommand {
        List<String> of(Path dir, int index);
    }

    private List<String> workerArgs(Path dir, int index) {
        return List.of(dir.resolve("locks").toString(), dir.resolve("counter").toString(), Integer.toString(threads),
                Integer.toString(increments), dir.resolve("waits-" + index).toString());
    }

    private ContentionRounds run(String label, WorkerCommand command) throws IOException {
        Path dir = BenchDirs.fresh("contention-" + label);
        ChildProcesses children = new ChildProcesses(dir);
        try {
            Files.createDirectories(dir.resolve("locks"));
            for (int round = 0; round < ROUNDS; round++) {
                Files.writeString(dir.resolve("counter-" + round), "0");
            }
            List<Process> started = new ArrayList<>();
            for (int i = 0; i < processes; i++) {
                started.add(children.start("worker-" + i, command.of(dir, i)));
            }
            for (int i = 0; i < processes; i++) {
                awaitLine(dir.resolve("worker-" + i + ".log"), started.get(i), "READY");
            }
            for (int round = 0; round < ROUNDS; round++) {
                for (Process process : started) {
                    OutputStream stdin = process.getOutputStream();
                    stdin.write("GO\n".getBytes(StandardCharsets.US_ASCII));
                    stdin.flush();
                }
                for (int i = 0; i < processes; i++) {
                    awaitLine(dir.resolve("worker-" + i + ".log"), started.get(i), "DONE " + round);
                }
            }
            children.awaitAll(Duration.ofMinutes(5));
            return new ContentionRounds(summarise(dir, 0), summarise(dir, 1));
        } finally {
            children.destroyAll();
            BenchDirs.delete(dir);
        }
    }

    // The worker's stdout goes to its log: READY once it is loaded, DONE and the round after each round.
    private static void awaitLine(Path log, Process process, String line) throws IOException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            boolean alive = process.isAlive(); // asked first: a worker that printed the line and exited is done
            if (Files.exists(log) && Files.readAllLines(log).contains(line)) {
                return;
            }
            if (!alive) {
                throw new IllegalStateException("Worker exited before " + line + ":\n" + Files.readString(log));
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for workers", e);
            }
        }
        throw new IllegalStateException("Worker did not print " + line + " within 3 minutes: " + log);
    }

    // Each worker's file of a round: start, end, JIT milliseconds, then "wait got gaveBack" per increment, thread by
    // thread.
    private ContentionResult summarise(Path dir, int round) throws IOException {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long compileMillis = 0;
        List<Long> waits = new ArrayList<>();
        List<HandOffGaps.Holding> holdings = new ArrayList<>();
        long longestAfterWarmUp = 0;
        for (int i = 0; i < processes; i++) {
            List<String> lines = Files.readAllLines(dir.resolve("waits-" + i + "-" + round));
            first = Math.min(first, Long.parseLong(lines.get(0)));
            last = Math.max(last, Long.parseLong(lines.get(1)));
            long compiled = Long.parseLong(lines.get(2).strip());
            compileMillis = compiled < 0 || compileMillis < 0 ? -1 : compileMillis + compiled;
            List<String> records = lines.subList(3, lines.size()).stream().filter(s -> !s.isBlank()).toList();
            for (int k = 0; k < records.size(); k++) { // thread by thread, each in its own order
                String[] fields = records.get(k).strip().split(" ");
                long wait = Long.parseLong(fields[0]);
                waits.add(wait);
                holdings.add(new HandOffGaps.Holding(Long.parseLong(fields[1]), Long.parseLong(fields[2]), i));
                if (k % increments >= WARM_UP_ACQUISITIONS) {
                    longestAfterWarmUp = Math.max(longestAfterWarmUp, wait);
                }
            }
        }
        long count = Long.parseLong(Files.readString(dir.resolve("counter-" + round)).strip());
        long expected = (long) processes * threads * increments;
        return new ContentionResult(count, expected, last - first,
                LatencyStats.of(waits.stream().mapToLong(Long::longValue).toArray()), longestAfterWarmUp,
                HandOffGaps.of(holdings), compileMillis);
    }
}
