package io.github.filelock.internal.soft.lease;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A child JVM that holds soft-lease locks on command: args {@code DIR LEASE_MS HEARTBEAT_MS}; stdin {@code hold NAME}
 * answers {@code HELD}, {@code release} answers {@code RELEASED}; a loss of the hold prints {@code LOST}.
 */
public final class LeaseChild {

    public static void main(String[] args) throws Exception {
        FileLockRegistry locks = FileLockRegistry.builder(Path.of(args[0])).type(LockType.SOFT_LEASE)
                .softLease(Duration.ofMillis(Long.parseLong(args[1])))
                .softHeartbeat(Duration.ofMillis(Long.parseLong(args[2]))).build();
        FileLockHold hold = null;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        System.out.println("READY " + ProcessHandle.current().pid());
        for (String line; (line = in.readLine()) != null; ) {
            String[] c = line.split(" ");
            if (c[0].equals("hold")) {
                hold = locks.acquire(c[1], Duration.ofSeconds(30));
                hold.whenLost(() -> System.out.println("LOST"));
                System.out.println("HELD");
            } else if (c[0].equals("release") && hold != null) {
                hold.close();
                hold = null;
                System.out.println("RELEASED");
            }
        }
    }
}
