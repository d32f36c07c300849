package io.github.filelock.crossprocess;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockMode;
import io.github.filelock.LockType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Child JVM that answers, for each lock name it reads on stdin, whether it could take the lock with one
 * attempt: {@code LOCKED <name>} (and lets go at once), {@code BUSY <name>}, or {@code ERROR <exception>}.
 * One long-lived prober is much cheaper than one JVM per question. Arguments: {@code dir= [type=FLOCK]}.
 */
public final class ProbeChild {

    private static final String SHARED = "shared:"; // a question about a SHARED attempt starts so

    private final ChildProcess process;

    private ProbeChild(ChildProcess process) {
        this.process = process;
    }

    /** Starts a prober on {@code dir} and waits until it is ready for questions. */
    public static ProbeChild start(ChildProcesses children, Path dir, LockType type) {
        ChildProcess process = children.jvm(ProbeChild.class, ChildArgs.arg("dir", dir),
                ChildArgs.arg("type", type));
        process.awaitLine("READY", Duration.ofSeconds(30));
        return new ProbeChild(process);
    }

    /** Whether another process can take {@code name} right now (one attempt, let go at once). */
    public boolean canLock(String name) {
        return ask(name);
    }

    /** Whether another process can take {@code name} SHARED right now (one attempt, let go at once). */
    public boolean canLockShared(String name) {
        return ask(SHARED + name);
    }

    private boolean ask(String name) {
        process.send(name);
        String answer = process.awaitLine(line -> line.equals("LOCKED " + name) || line.equals("BUSY " + name)
                || line.startsWith("ERROR"), "an answer about '" + name + "'", Duration.ofSeconds(30));
        if (answer.startsWith("ERROR")) {
            throw new AssertionError("the prober failed: " + answer + "; " + process.describe());
        }
        return answer.startsWith("LOCKED");
    }

    public static void main(String[] argv) throws Exception {
        FileLockRegistry registry = new ChildArgs(argv).registry();
        System.out.println("READY " + ProcessHandle.current().pid());
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String name = stdin.readLine(); name != null; name = stdin.readLine()) {
            try {
                Optional<FileLockHold> hold = name.startsWith(SHARED)
                        ? registry.tryAcquire(name.substring(SHARED.length()), LockMode.SHARED)
                        : registry.tryAcquire(name);
                hold.ifPresent(FileLockHold::close);
                System.out.println((hold.isPresent() ? "LOCKED " : "BUSY ") + name);
            } catch (RuntimeException e) {
                System.out.println("ERROR " + e);
            }
        }
    }
}
