package io.github.filelock.crossprocess;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Child JVM that answers, for each lock name it reads on stdin, whether it could take the lock with one
 * attempt: {@code LOCKED <name>} (and lets go at once), {@code BUSY <name>}, or {@code ERROR <exception>}.
 * One long-lived prober is much cheaper than one JVM per question. Arguments: {@code dir= [mechanism=FLOCK]}.
 */
public final class ProbeChild {

    public static void main(String[] argv) throws Exception {
        FileLockRegistry registry = new ChildArgs(argv).registry();
        System.out.println("READY " + ProcessHandle.current().pid());
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String name = stdin.readLine(); name != null; name = stdin.readLine()) {
            try {
                Optional<FileLockHold> hold = registry.tryAcquire(name);
                hold.ifPresent(FileLockHold::close);
                System.out.println((hold.isPresent() ? "LOCKED " : "BUSY ") + name);
            } catch (RuntimeException e) {
                System.out.println("ERROR " + e);
            }
        }
    }
}
