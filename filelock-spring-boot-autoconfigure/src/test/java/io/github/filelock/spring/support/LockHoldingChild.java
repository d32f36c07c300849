package io.github.filelock.spring.support;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Another process holding a lock: a child JVM that takes {@code name} in {@code dir} through its own registry,
 * prints {@code HELD <pid>} and keeps the lock until its stdin closes (or it is killed).
 */
public final class LockHoldingChild implements AutoCloseable {

    private final Process process;
    private final long pid;

    private LockHoldingChild(Process process, long pid) {
        this.process = process;
        this.pid = pid;
    }

    public static LockHoldingChild start(Path dir, String name) throws IOException {
        return start(dir, name, LockType.FLOCK);
    }

    /** A child that locks with {@code type}; it must be this JVM's, or the two would not exclude each other. */
    public static LockHoldingChild start(Path dir, String name, LockType type) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Xmx64m", "-cp",
                System.getProperty("java.class.path"), LockHoldingChild.class.getName(), dir.toString(), name,
                type.name())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("HELD ")) {
            process.destroyForcibly();
            throw new IllegalStateException("child did not take lock " + name + ": printed " + line);
        }
        return new LockHoldingChild(process, Long.parseLong(line.substring(5)));
    }

    public long pid() {
        return pid;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public static void main(String[] args) throws IOException {
        try (FileLockRegistry registry = FileLockRegistry.builder(Path.of(args[0]))
                .type(LockType.valueOf(args[2])).build();
                FileLockHold hold = registry.acquire(args[1], Duration.ofSeconds(30))) {
            System.out.println("HELD " + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold until the parent closes stdin or kills us
            }
        }
    }
}
