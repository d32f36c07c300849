package io.github.filelock.benchmarks.contention;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.benchmarks.HolderFileCalls;
import io.github.filelock.benchmarks.NativeFlock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One contending JVM: {@code threads} threads each do {@code increments} read-modify-write increments of
 * a counter file under one lock, timing each wait, in {@link ContentionHarness#ROUNDS} rounds. It prints READY; each
 * round starts on a GO line from stdin (so all JVMs start together), counts in {@code <counter>-<round>}, writes to
 * {@code <out>-<round>} its first-start and last-end {@link System#nanoTime()}, the milliseconds its JIT compiled
 * meanwhile, and for every increment the wait and when the lock was got and given back, and prints DONE and the
 * round ({@link ContentionHarness} reads them). The first round runs in a JVM that has just started; the second in
 * the same JVM, warm.
 *
 * <p>Arguments: lock dir, counter file, threads, increments per thread, output file, and the lock: {@code registry}
 * (the default), {@code registry-no-cohort} (the same with {@code -Dfilelock.cohortHandOff=false}: every release lets
 * go of the kernel lock, as before issue 16's cohort hand-off), {@code bare} (each thread blocks in bare {@code flock}
 * on a descriptor of its own: the kernel alone, which has no queue) or {@code fair-bare} (a fair
 * {@link ReentrantLock} around bare {@code flock} on one descriptor: the floor of any lock that is first come, first
 * served inside the JVM) or {@code fair-checked} (the same, plus the file calls the registry makes for each new
 * holder: {@link HolderFileCalls}; the floor of a lock that is first come, first served inside the JVM, checks its
 * file and names its holder).
 */
public final class CounterWorker {

    static final String LOCK_NAME = "counter";

    private CounterWorker() {
    }

    /** One thread's way in and out of the lock; {@code enter} returns what {@code exit} needs. */
    private interface CounterLock {
        AutoCloseable enter() throws IOException;
    }

    public static void main(String[] args) throws Exception {
        Path lockDir = Path.of(args[0]);
        String counter = args[1];
        int threads = Integer.parseInt(args[2]);
        int increments = Integer.parseInt(args[3]);
        String out = args[4];
        String kind = args.length > 5 ? args[5] : "registry";
        if ("registry-no-cohort".equals(kind)) {
            System.setProperty("filelock.cohortHandOff", "false"); // read once, before the first registry
        }
        try (FileLockRegistry locks = FileLockRegistry.builder(lockDir).build()) {
            locks.tryAcquire("warm-up").ifPresent(FileLockHold::close); // load JNA before the clock starts
            Path lockFile = lockDir.resolve(LOCK_NAME + ".lock");
            ReentrantLock fair = new ReentrantLock(true);
            int shared = kind.startsWith("fair-") ? NativeFlock.openForLocking(lockFile) : -1;
            HolderFileCalls fileCalls = "fair-checked".equals(kind) ? new HolderFileCalls(lockFile, shared, LOCK_NAME)
                    : null;
            CounterLock[] perThread = new CounterLock[threads];
            for (int t = 0; t < threads; t++) {
                perThread[t] = switch (kind) {
                    case "registry", "registry-no-cohort" -> () -> locks.acquire(LOCK_NAME, Duration.ofMinutes(2));
                    case "bare" -> bareFlock(NativeFlock.openForLocking(lockFile));
                    case "fair-bare", "fair-checked" -> () -> {
                        fair.lock();
                        NativeFlock.lockExclusive(shared);
                        if (fileCalls != null) {
                            fileCalls.afterGrant();
                        }
                        return () -> {
                            NativeFlock.unlock(shared);
                            fair.unlock();
                        };
                    };
                    default -> throw new IllegalArgumentException("lock must be registry, registry-no-cohort, bare,"
                            + " fair-bare or fair-checked, was " + kind);
                };
            }
            System.out.println("READY");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (int round = 0; round < ContentionHarness.ROUNDS; round++) {
                if (!"GO".equals(in.readLine())) {
                    throw new IllegalStateException("expected GO on stdin");
                }
                Files.writeString(Path.of(out + "-" + round), runRound(perThread, Path.of(counter + "-" + round),
                        increments));
                System.out.println("DONE " + round);
                System.out.flush();
            }
        }
    }

    // One round: every thread's increments, then the round's record for ContentionHarness.
    private static String runRound(CounterLock[] perThread, Path counter, int increments) throws InterruptedException {
        int threads = perThread.length;
        long[][] waits = new long[threads][increments];
        long[][] got = new long[threads][increments];
        long[][] gaveBack = new long[threads][increments];
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean(); // null with -Xint: then -1
        long compiledBefore = jit == null ? 0 : jit.getTotalCompilationTime();
        long start = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> increment(perThread[thread], counter, waits[thread], got[thread],
                    gaveBack[thread]), "incrementer-" + t);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        long end = System.nanoTime();
        StringBuilder text = new StringBuilder().append(start).append('\n').append(end).append('\n')
                .append(jit == null ? -1 : jit.getTotalCompilationTime() - compiledBefore).append('\n');
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < increments; i++) {
                text.append(waits[t][i]).append(' ').append(got[t][i]).append(' ').append(gaveBack[t][i])
                        .append('\n');
            }
        }
        return text.toString();
    }

    // A descriptor per thread, so the kernel alone decides who is next.
    private static CounterLock bareFlock(int fd) {
        return () -> {
            NativeFlock.lockExclusive(fd);
            return () -> NativeFlock.unlock(fd);
        };
    }

    private static void increment(CounterLock lock, Path counter, long[] waits, long[] got, long[] gaveBack) {
        for (int i = 0; i < waits.length; i++) {
            long asked = System.nanoTime();
            try (AutoCloseable hold = lock.enter()) {
                got[i] = System.nanoTime();
                waits[i] = got[i] - asked;
                String text = Files.readString(counter).strip();
                long value = text.isEmpty() ? 0 : Long.parseLong(text);
                Files.writeString(counter, Long.toString(value + 1));
                gaveBack[i] = System.nanoTime();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
