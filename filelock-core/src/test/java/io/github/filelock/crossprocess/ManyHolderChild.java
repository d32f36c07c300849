package io.github.filelock.crossprocess;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Child JVM that takes the locks {@code prefix0 .. prefix(count-1)}, prints {@code ACQUIRED}, and keeps them until it
 * reads {@code release} (then prints {@code RELEASED}) or is killed. Arguments: {@code dir= prefix= count=}.
 */
public final class ManyHolderChild {

    private ManyHolderChild() {
    }

    /** Starts a holder of {@code count} names and waits until it holds them all. */
    static ChildProcess startHolding(ChildProcesses children, Path dir, String prefix, int count) {
        ChildProcess holder = children.jvm(ManyHolderChild.class, ChildArgs.arg("dir", dir),
                ChildArgs.arg("prefix", prefix), ChildArgs.arg("count", count));
        holder.awaitLine("ACQUIRED", Duration.ofSeconds(30));
        return holder;
    }

    static void release(ChildProcess holder) {
        holder.send("release");
        holder.awaitLine("RELEASED", Duration.ofSeconds(30));
    }

    public static void main(String[] argv) throws Exception {
        ChildArgs args = new ChildArgs(argv);
        FileLockRegistry registry = args.registry();
        List<FileLockHold> holds = new ArrayList<>();
        for (int i = 0; i < args.getInt("count", 1); i++) {
            holds.add(registry.acquire(args.get("prefix") + i, Duration.ofSeconds(30)));
        }
        System.out.println("ACQUIRED " + holds.size());
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = stdin.readLine(); line != null && !line.equals("release"); line = stdin.readLine()) {
            // wait for the test's word
        }
        holds.forEach(FileLockHold::close);
        System.out.println("RELEASED");
    }
}
