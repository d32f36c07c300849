package io.github.filelock.internal.flock;

import com.sun.jna.LastErrorException;
import io.github.filelock.LockMode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * For {@code LockType.AUTO}: asks the directory's file system once whether it grants {@code flock(2)}, by locking a
 * fixed probe file, {@value #PROBE_NAME}, which is kept and reused by later probes.
 */
public final class FlockProbe {

    public static final String PROBE_NAME = ".filelock-probe";

    // errno values meaning "this file system does not do flock": ENOLCK, EOPNOTSUPP (= ENOTSUP on Linux), ENOSYS.
    private static final Set<Integer> REFUSALS_LINUX = Set.of(37, 95, 38);
    private static final Set<Integer> REFUSALS_DARWIN = Set.of(77, 102, 45, 78);

    private FlockProbe() {
    }

    /**
     * Why the file system of {@code flock}'s directory refuses flock, or empty when it grants it.
     *
     * @throws IOException when the probe fails for another reason (that is not a reason to change type)
     */
    public static Optional<String> refusal(FlockBackend flock) throws IOException {
        Path file = flock.directory().resolve(PROBE_NAME);
        try (FlockFile probe = flock.open(file, true)) {
            try {
                if (probe.tryLock(LockMode.EXCLUSIVE)) {
                    probe.unlock();
                }
                return Optional.empty(); // granted, or held by a concurrent probe: either way flock works
            } catch (IOException e) {
                if (e.getCause() instanceof LastErrorException errno && isRefusal(errno.getErrorCode(), osName())) {
                    return Optional.of(e.getMessage());
                }
                throw e;
            }
        }
    }

    public static boolean isRefusal(int errno, String osName) {
        String os = osName.toLowerCase(Locale.ROOT);
        return os.contains("linux") ? REFUSALS_LINUX.contains(errno)
                : (os.contains("mac") || os.contains("darwin")) && REFUSALS_DARWIN.contains(errno);
    }

    private static String osName() {
        return System.getProperty("os.name", "");
    }
}
