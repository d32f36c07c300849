package io.github.filelock.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code flock(1)} from util-linux as a second process that is not a JVM: it asks the kernel directly, so it
 * checks what other tools (shell scripts, Python filelock) see. Linux and macOS with util-linux only.
 */
public final class FlockCommand {

    private static final int BUSY = 42;

    private FlockCommand() {
    }

    /**
     * Whether {@code flock -n} could lock {@code file} exclusively at this moment; it lets go at once.
     *
     * @throws IllegalStateException when flock(1) is missing or fails for another reason than a busy lock
     */
    public static boolean canLock(Path file) {
        try {
            Process flock = new ProcessBuilder("flock", "-n", "-E", String.valueOf(BUSY), file.toString(), "true")
                    .redirectErrorStream(true).start();
            if (!flock.waitFor(30, TimeUnit.SECONDS)) {
                flock.destroyForcibly();
                throw new IllegalStateException("flock -n " + file + " did not finish within 30 s");
            }
            int exit = flock.exitValue();
            if (exit != 0 && exit != BUSY) {
                throw new IllegalStateException("flock -n " + file + " failed with exit code " + exit + ": "
                        + new String(flock.getInputStream().readAllBytes()).trim());
            }
            return exit == 0;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run flock(1); install util-linux", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running flock -n " + file, e);
        }
    }
}
