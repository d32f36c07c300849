package io.github.filelock.spring.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Another process's one non-blocking attempt at a POSIX record lock (fcntl, what FILE_CHANNEL takes on Linux),
 * with python3's {@code fcntl.lockf}. {@code flock -n} cannot see these locks.
 */
public final class FcntlProbe {

    private static final String TRY_LOCK = "import fcntl, sys\n"
            + "with open(sys.argv[1], 'r+') as f:\n"
            + "    try:\n"
            + "        fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)\n"
            + "    except OSError:\n"
            + "        sys.exit(1)\n";

    private FcntlProbe() {
    }

    /** Whether another process got the fcntl lock of {@code file} (and released it at once). */
    public static boolean canLock(Path file) throws IOException, InterruptedException {
        Process python = new ProcessBuilder("python3", "-c", TRY_LOCK, file.toString()).redirectErrorStream(true)
                .start();
        if (!python.waitFor(30, TimeUnit.SECONDS)) {
            python.destroyForcibly();
            throw new IllegalStateException("the fcntl probe did not return");
        }
        return switch (python.exitValue()) {
            case 0 -> true;
            case 1 -> false;
            default -> throw new IllegalStateException("the fcntl probe of " + file + " exited " + python.exitValue()
                    + ": " + new String(python.getInputStream().readAllBytes()));
        };
    }
}
