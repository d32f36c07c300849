package io.github.filelock.benchmarks.contention;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One contending JVM: {@code threads} threads each do {@code increments} read-modify-write increments of
 * a counter file under one lock, timing each wait. It prints READY, starts on a GO line from stdin (so all
 * JVMs start together), and writes its first-start and last-end {@link System#nanoTime()} and every wait
 * to the output file.
 *
 * <p>Arguments: lock dir, counter file, threads, increments per thread, output file.
 */
public final class CounterWorker {

    static final String LOCK_NAME = "counter";

    private CounterWorker() {
    }

    public static void main(String[] args) throws Exception {
        Path lockDir = Path.of(args[0]);
        Path counter = Path.of(args[1]);
        int threads = Integer.parseInt(args[2]);
        int increments = Integer.parseInt(args[3]);
        Path out = Path.of(args[4]);
        long[][] waits = new long[threads][increments];
        try (FileLockRegistry locks = FileLockRegistry.builder(lockDir).build()) {
            locks.tryAcquire("warm-up").ifPresent(FileLockHold::close); // load JNA before the clock starts
            System.out.println("READY");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            if (!"GO".equals(in.readLine())) {
                throw new IllegalStateException("expected GO on stdin");
            }
            long start = System.nanoTime();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long[] mine = waits[t];
                Thread worker = new Thread(() -> increment(locks, counter, mine), "incrementer-" + t);
                workers.add(worker);
                worker.start();
            }
            for (Thread worker : workers) {
                worker.join();
            }
            long end = System.nanoTime();
            StringBuilder text = new StringBuilder().append(start).append('\n').append(end).append('\n');
            for (long[] perThread : waits) {
                for (long wait : perThread) {
                    text.append(wait).append('\n');
                }
            }
            Files.writeString(out, text);
        }
    }

    private static void increment(FileLockRegistry locks, Path counter, long[] waits) {
        for (int i = 0; i < waits.length; i++) {
            long asked = System.nanoTime();
            try (FileLockHold hold = locks.acquire(LOCK_NAME, Duration.ofMinutes(2))) {
                waits[i] = System.nanoTime() - asked;
                String text = Files.readString(counter).strip();
                long value = text.isEmpty() ? 0 : Long.parseLong(text);
                Files.writeString(counter, Long.toString(value + 1));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
