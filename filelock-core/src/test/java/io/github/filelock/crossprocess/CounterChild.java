package io.github.filelock.crossprocess;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * Child JVM of the stress tests: {@code threads} threads each do {@code iterations} read-modify-write
 * increments of a counter file under its lock. Iteration {@code i} of thread {@code t} uses name
 * {@code counter-((i + 7t) % names)}, so every name gets exactly {@code iterations / names} increments per
 * thread when {@code names} divides {@code iterations}. The counter files live in {@code data=}, apart
 * from the lock directory, so deleting idle lock files never touches them.
 *
 * <p>It prints {@code READY}, starts on {@code GO} (so all children contend at once), writes every single
 * wait (ns) to {@code data/waits-<pid>.txt}, prints {@code WAITS max_us=.. median_us=..} and exits 0, or
 * prints {@code FAILED} and exits 1.
 *
 * <p>Arguments: {@code dir= data= threads= iterations= names= [type=] [maxOpenFiles=] [deleteIdle=]}.
 */
public final class CounterChild {

    public static void main(String[] argv) throws Exception {
        ChildArgs args = new ChildArgs(argv);
        FileLockRegistry registry = args.registry();
        Path data = Path.of(args.get("data"));
        int threads = args.getInt("threads", 4);
        int iterations = args.getInt("iterations", 500);
        int names = args.getInt("names", 1);

        System.out.println("READY " + ProcessHandle.current().pid());
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (!"GO".equals(stdin.readLine())) {
            System.out.println("FAILED no GO");
            System.exit(1);
        }

        long[][] waits = new long[threads][iterations];
        ChildWorkers.runAll(threads, "worker", thread -> {
            for (int i = 0; i < iterations; i++) {
                waits[thread][i] = incrementOnce(registry, data, "counter-" + ((i + 7 * thread) % names));
            }
        });
        long[] all = Arrays.stream(waits).flatMapToLong(LongStream::of).sorted().toArray();
        long pid = ProcessHandle.current().pid();
        Files.write(data.resolve("waits-" + pid + ".txt"),
                LongStream.of(all).mapToObj(Long::toString).collect(Collectors.toList()));
        System.out.println("WAITS max_us=" + all[all.length - 1] / 1000 + " median_us=" + all[all.length / 2] / 1000
                + " n=" + all.length);
        registry.close();
    }

    /** One locked increment; returns how long the acquire waited, in nanoseconds. */
    private static long incrementOnce(FileLockRegistry registry, Path data, String name) throws Exception {
        long start = System.nanoTime();
        try (FileLockHold hold = registry.acquire(name, Duration.ofSeconds(60))) {
            long waited = System.nanoTime() - start;
            Path counter = data.resolve(name + ".count");
            int value = Files.exists(counter) ? Integer.parseInt(Files.readString(counter).trim()) : 0;
            Thread.yield(); // widen the read-modify-write window so that a second holder would lose updates
            Files.writeString(counter, Integer.toString(value + 1));
            return waited;
        }
    }
}
