package io.github.filelock.internal.soft.strict;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A child JVM that takes strict-soft locks on command, one command per stdin line, one answer per stdout line:
 * {@code hold NAME} answers {@code HELD}, {@code release} answers {@code RELEASED}; {@code count NAME FILE ROUNDS}
 * adds one to the number in FILE under the lock ROUNDS times (a read, a pause, a write), then answers
 * {@code COUNTED}.
 */
public final class StrictChild {

    public static void main(String[] args) throws Exception {
        FileLockRegistry locks = FileLockRegistry.builder(Path.of(args[0])).type(LockType.STRICT_SOFT).build();
        FileLockHold hold = null;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        System.out.println("READY " + ProcessHandle.current().pid());
        for (String line; (line = in.readLine()) != null; ) {
            String[] c = line.split(" ");
            switch (c[0]) {
                case "hold" -> {
                    hold = locks.acquire(c[1], Duration.ofSeconds(30));
                    System.out.println("HELD");
                }
                case "release" -> {
                    if (hold != null) {
                        hold.close();
                        hold = null;
                    }
                    System.out.println("RELEASED");
                }
                case "count" -> {
                    Path counter = Path.of(c[2]);
                    for (int i = 0; i < Integer.parseInt(c[3]); i++) {
                        try (FileLockHold h = locks.acquire(c[1], Duration.ofSeconds(60))) {
                            int value = Integer.parseInt(Files.readString(counter));
                            Thread.sleep(1);
                            Files.writeString(counter, Integer.toString(value + 1));
                        }
                    }
                    System.out.println("COUNTED");
                }
                default -> System.out.println("UNKNOWN " + line);
            }
            System.out.flush();
        }
    }
}
