package io.github.filelock.internal.soft.rw;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockMode;
import io.github.filelock.LockType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A child JVM that takes soft-rw locks on command, one per stdin line, one answer per stdout line: {@code read NAME}
 * and {@code write NAME} wait (up to 30 s) and answer {@code HELD}; {@code try-read NAME} and {@code try-write NAME}
 * answer {@code HELD} or {@code BUSY}; {@code release} answers {@code RELEASED}.
 */
public final class RwChild {

    static final Duration HEARTBEAT = Duration.ofMillis(100);
    static final Duration STALE = Duration.ofSeconds(2); // a loaded CI machine may delay a beat

    public static void main(String[] args) throws Exception {
        FileLockRegistry locks = FileLockRegistry.builder(Path.of(args[0])).type(LockType.SOFT_RW)
                .softHeartbeat(HEARTBEAT).softStaleThreshold(STALE).build();
        FileLockHold hold = null;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        System.out.println("READY " + ProcessHandle.current().pid());
        for (String line; (line = in.readLine()) != null; ) {
            String[] c = line.split(" ");
            switch (c[0]) {
                case "read", "write" -> {
                    hold = locks.acquire(c[1], mode(c[0]), Duration.ofSeconds(30));
                    System.out.println("HELD");
                }
                case "try-read", "try-write" -> {
                    Optional<FileLockHold> got = locks.tryAcquire(c[1], mode(c[0]), Duration.ZERO);
                    hold = got.orElse(null);
                    System.out.println(got.isPresent() ? "HELD" : "BUSY");
                }
                case "release" -> {
                    if (hold != null) {
                        hold.close();
                        hold = null;
                    }
                    System.out.println("RELEASED");
                }
                default -> System.out.println("UNKNOWN " + line);
            }
            System.out.flush();
        }
        locks.close();
    }

    private static LockMode mode(String command) {
        return command.endsWith("read") ? LockMode.SHARED : LockMode.EXCLUSIVE;
    }
}
