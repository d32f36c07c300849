package io.github.filelock.spring.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Another process's one non-blocking attempt at a lock file, with util-linux {@code flock -n}. */
public final class FlockProbe {

    private FlockProbe() {
    }

    /** Whether {@code flock -n file true} got the lock (and released it at once). */
    public static boolean canLock(Path file) throws IOException, InterruptedException {
        Process flock = new ProcessBuilder("flock", "-n", file.toString(), "true")
                .redirectErrorStream(true).start();
        if (!flock.waitFor(30, TimeUnit.SECONDS)) {
            flock.destroyForcibly();
            throw new IllegalStateException("flock -n did not return");
        }
        return switch (flock.exitValue()) {
            case 0 -> true;
            case 1 -> false;
            default -> throw new IllegalStateException("flock -n " + file + " exited " + flock.exitValue() + ": "
                    + new String(flock.getInputStream().readAllBytes()));
        };
    }
}
