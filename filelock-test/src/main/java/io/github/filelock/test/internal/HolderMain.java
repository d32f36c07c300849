package io.github.filelock.test.internal;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.FileLockTimeoutException;
import io.github.filelock.LockMode;
import io.github.filelock.LockType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The child JVM of {@link io.github.filelock.test.OtherProcessHold}; not an API. Arguments: directory, name,
 * mode, type (or {@code DEFAULT}), wait (ISO-8601). Takes the lock, prints {@code HELD <pid>}, and keeps it
 * until stdin says {@code release} or ends (the test JVM died), then prints {@code RELEASED} and exits. A lock
 * it cannot take is reported as {@code BUSY <message>}, anything else as {@code FAILED <exception>}.
 */
public final class HolderMain {

    public static final String HELD = "HELD";
    public static final String RELEASED = "RELEASED";
    public static final String BUSY = "BUSY";
    public static final String FAILED = "FAILED";

    private HolderMain() {
    }

    public static void main(String[] args) throws Exception {
        FileLockRegistry.Builder builder = FileLockRegistry.builder(Path.of(args[0]));
        if (!args[3].equals("DEFAULT")) {
            builder.type(LockType.valueOf(args[3]));
        }
        try (FileLockRegistry registry = builder.build();
                FileLockHold hold = registry.acquire(args[1], LockMode.valueOf(args[2]), Duration.parse(args[4]))) {
            System.out.println(HELD + " " + ProcessHandle.current().pid());
            System.out.flush();
            BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = stdin.readLine(); line != null && !line.equals("release"); line = stdin.readLine()) {
                // hold until the test says so, or until the test JVM is gone
            }
        } catch (FileLockTimeoutException e) {
            System.out.println(BUSY + " " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            System.out.println(FAILED + " " + e);
            System.exit(1);
        }
        System.out.println(RELEASED);
    }
}
