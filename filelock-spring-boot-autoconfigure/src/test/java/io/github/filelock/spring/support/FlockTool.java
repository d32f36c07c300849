package io.github.filelock.spring.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** {@code flock(1)} in its own process: another process's view of whether a lock file is held. */
public final class FlockTool {

    private FlockTool() {
    }

    /** 0 when {@code flock -x} or {@code -s} ({@code mode}) got the lock at once, 1 when it is held elsewhere. */
    public static int tryLock(String mode, Path file) throws Exception {
        Process process = new ProcessBuilder("flock", mode, "-n", file.toString(), "true").inheritIO().start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("flock(1) hung on " + file);
        }
        return process.exitValue();
    }

    /** Whether another process could take the lock exclusively right now. */
    public static boolean otherProcessCanLock(Path file) throws Exception {
        return tryLock("-x", file) == 0;
    }

    /** Waits (generously) until another process can take the lock; false if it never could. */
    public static boolean eventuallyFree(Path file) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!otherProcessCanLock(file)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
