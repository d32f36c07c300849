package io.github.filelock.internal;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * What every file backend is built with.
 *
 * @param directory the lock directory's real path
 * @param permissions of new lock files and markers, set exactly (not masked by the umask)
 * @param deleteIdleFiles whether a slot deletes its lock file when it closes idle (flock and FileChannel only)
 */
public record FileSettings(Path directory, Set<PosixFilePermission> permissions, boolean deleteIdleFiles) {

    public FileSettings {
        permissions = Set.copyOf(permissions);
    }

    /** {@code rw-r--r--} as the mode bits of open(2) and chmod(2): {@code 0644}. */
    public int modeBits() {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= 1 << (8 - p.ordinal());
        }
        return mode;
    }
}
