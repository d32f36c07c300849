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

/**
 * Child JVM that takes one lock in a thread with a given name, prints {@code ACQUIRED <pid>}, and keeps it
 * until it reads {@code release} (then prints {@code RELEASED} and exits) or until it is killed.
 * Arguments: {@code dir= name= [type=FLOCK] [thread=holder] [mode=EXCLUSIVE]}.
 */
public final class HolderChild {

    private HolderChild() {
    }

    /** Starts a holder of {@code name} in a thread called {@code thread}, and waits until it holds. */
    public static ChildProcess startHolding(ChildProcesses children, Path dir, String name, LockType type,
            String thread) {
        ChildProcess holder = children.jvm(HolderChild.class, ChildArgs.arg("dir", dir), ChildArgs.arg("name", name),
                ChildArgs.arg("type", type), ChildArgs.arg("thread", thread));
        holder.awaitLine("ACQUIRED", Duration.ofSeconds(30));
        return holder;
    }

    /** Starts a holder of {@code name} in {@code mode}, and waits until it holds. */
    public static ChildProcess startHolding(ChildProcesses children, Path dir, String name, LockMode mode) {
        ChildProcess holder = children.jvm(HolderChild.class, ChildArgs.arg("dir", dir), ChildArgs.arg("name", name),
                ChildArgs.arg("type", LockType.FLOCK), ChildArgs.arg("mode", mode));
        holder.awaitLine("ACQUIRED", Duration.ofSeconds(30));
        return holder;
    }

    public static ChildProcess startHolding(ChildProcesses children, Path dir, String name, LockType type) {
        return startHolding(children, dir, name, type, "holder");
    }

    /** Tells a holder to release, and waits until it has. */
    public static void release(ChildProcess holder) {
        holder.send("release");
        holder.awaitLine("RELEASED", Duration.ofSeconds(30));
    }

    public static void main(String[] argv) throws Exception {
        ChildArgs args = new ChildArgs(argv);
        FileLockRegistry registry = args.registry();
        LockMode mode = LockMode.valueOf(args.get("mode", "EXCLUSIVE"));
        Thread holder = new Thread(() -> holdUntilTold(registry, args.get("name"), mode), args.get("thread", "holder"));
        holder.start();
        holder.join();
    }

    private static void holdUntilTold(FileLockRegistry registry, String name, LockMode mode) {
        try (FileLockHold hold = registry.acquire(name, mode, Duration.ofSeconds(60))) {
            System.out.println("ACQUIRED " + ProcessHandle.current().pid());
            BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = stdin.readLine(); line != null && !line.equals("release"); line = stdin.readLine()) {
                // wait for the test's word
            }
        } catch (Exception e) {
            System.out.println("FAILED " + e);
            System.exit(1);
        }
        System.out.println("RELEASED");
    }
}
