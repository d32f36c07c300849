package io.github.filelock.crossprocess;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * Child JVM of {@link FencingTokensTest}: {@code threads} threads each take lock {@code fenced} {@code holds}
 * times, ask each hold for its fencing token and append {@code <token> <pid> <thread>} to {@code log=} while still
 * holding the lock, so the log's line order is the order of the holds. Prints {@code READY}, starts on {@code GO},
 * prints {@code DONE} and exits 0, or {@code FAILED} and exits 1.
 *
 * <p>Arguments: {@code dir= log= holds= [threads=1]}.
 */
public final class FencingChild {

    public static void main(String[] argv) throws Exception {
        ChildArgs args = new ChildArgs(argv);
        FileLockRegistry registry = args.registry();
        Path log = Path.of(args.get("log"));
        int holds = args.getInt("holds", 200);
        int threads = args.getInt("threads", 1);
        long pid = ProcessHandle.current().pid();

        System.out.println("READY " + pid);
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (!"GO".equals(stdin.readLine())) {
            System.out.println("FAILED no GO");
            System.exit(1);
        }
        ChildWorkers.runAll(threads, "fencer", thread -> {
            for (int i = 0; i < holds / threads; i++) {
                try (FileLockHold hold = registry.acquire("fenced", Duration.ofSeconds(60))) {
                    long token = hold.fencingToken();
                    String line = token + " " + pid + " " + Thread.currentThread().getName() + "\n";
                    Files.writeString(log, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
            }
        });
        System.out.println("DONE");
        registry.close();
    }
}
