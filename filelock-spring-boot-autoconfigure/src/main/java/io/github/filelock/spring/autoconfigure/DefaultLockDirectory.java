package io.github.filelock.spring.autoconfigure;

import java.nio.file.Path;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * The lock directory when {@code filelock.dir} is not set: {@code ${java.io.tmpdir}/filelock/<app name>}.
 * The temp directory exists and is writable on every host, and naming the sub-directory after
 * {@code spring.application.name} makes instances of one application share their locks while other
 * applications on the host get their own. Services whose temp directory is private (systemd
 * {@code PrivateTmp=yes}) or per-container do not see each other's temp directory, so production setups
 * should set {@code filelock.dir} to a shared path.
 */
final class DefaultLockDirectory {

    static final String FALLBACK_APPLICATION_NAME = "application";

    private DefaultLockDirectory() {
    }

    static Path resolve(Environment environment) {
        String name = environment.getProperty("spring.application.name");
        String folder = StringUtils.hasText(name) ? safeFolderName(name) : FALLBACK_APPLICATION_NAME;
        return Path.of(System.getProperty("java.io.tmpdir"), "filelock", folder);
    }

    /** Keeps a name such as "billing/eu" from escaping into another directory. */
    static String safeFolderName(String applicationName) {
        String safe = applicationName.trim().replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() || safe.chars().allMatch(c -> c == '.') ? FALLBACK_APPLICATION_NAME : safe;
    }
}
