package io.github.filelock.spring.autoconfigure;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * The lock directory when {@code filelock.dir} is not set, in a place no other user can take first:
 * {@code $XDG_RUNTIME_DIR/filelock/<app name>} where that directory exists and is this user's (mode 700), else
 * {@code ${java.io.tmpdir}/filelock-<uid>/<app name>}, created owner-only and checked like any lock directory at
 * start-up. A fixed name under a world-writable {@code /tmp} would let any local user create it first and hold
 * the service's locks. Naming the sub-directory after {@code spring.application.name} makes instances of one
 * application (run by one user) share their locks while other applications get their own. It is a default for
 * development: production setups set {@code filelock.dir} to a directory every instance sees.
 */
final class DefaultLockDirectory {

    static final String FALLBACK_APPLICATION_NAME = "application";

    private DefaultLockDirectory() {
    }

    static Path resolve(Environment environment) {
        String name = environment.getProperty("spring.application.name");
        String folder = StringUtils.hasText(name) ? safeFolderName(name) : FALLBACK_APPLICATION_NAME;
        return base(environment).resolve(folder);
    }

    /** Read through the Environment, so that a test (or a deployment) can point it elsewhere. */
    private static Path base(Environment environment) {
        Long uid = uid();
        String runtime = environment.getProperty("XDG_RUNTIME_DIR");
        if (uid != null && StringUtils.hasText(runtime) && isOwnDirectory(Path.of(runtime), uid)) {
            return Path.of(runtime, "filelock");
        }
        String tmp = environment.getProperty("java.io.tmpdir", System.getProperty("java.io.tmpdir"));
        // Windows: java.io.tmpdir is already the user's own.
        return Path.of(tmp, uid == null ? "filelock" : "filelock-" + uid);
    }

    /**
     * The XDG spec ignores a relative path; and after {@code su} the variable may still name the previous user's
     * directory, which this user cannot use.
     */
    private static boolean isOwnDirectory(Path runtime, long uid) {
        try {
            return runtime.isAbsolute() && Files.isDirectory(runtime)
                    && ((Number) Files.getAttribute(runtime, "unix:uid")).longValue() == uid;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static @Nullable Long uid() {
        try {
            return new UnixSystem().getUid();
        } catch (LinkageError e) {
            return null;
        }
    }

    /** Keeps a name such as "billing/eu" from escaping into another directory. */
    static String safeFolderName(String applicationName) {
        String safe = applicationName.trim().replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() || safe.chars().allMatch(c -> c == '.') ? FALLBACK_APPLICATION_NAME : safe;
    }
}
