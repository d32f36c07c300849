package io.github.filelock.spring.autoconfigure;

import io.github.filelock.FileLockException;
import io.github.filelock.FileLockRegistry;
import java.nio.file.Path;
import org.springframework.core.env.Environment;

/**
 * Builds the {@link FileLockRegistry} from {@link FileLockProperties}, turning each rejected value into an
 * {@link InvalidFileLockPropertyException} that names the property to change.
 */
final class FileLockRegistryFactory {

    private FileLockRegistryFactory() {
    }

    static FileLockRegistry create(FileLockProperties properties, Environment environment) {
        boolean dirIsDefault = properties.getDir() == null;
        Path dir = dirIsDefault ? DefaultLockDirectory.resolve(environment) : properties.getDir();
        FileLockRegistry.Builder builder = FileLockRegistry.builder(dir);
        try {
            builder.filePermissions(properties.getFilePermissions());
        } catch (IllegalArgumentException e) {
            throw new InvalidFileLockPropertyException("filelock.file-permissions", properties.getFilePermissions(),
                    e.getMessage(), "Set filelock.file-permissions to nine characters as ls -l prints them, such as"
                            + " rw-r--r-- or rw-rw----.", e);
        }
        try {
            builder.maxOpenFiles(properties.getMaxOpenFiles());
        } catch (IllegalArgumentException e) {
            throw new InvalidFileLockPropertyException("filelock.max-open-files", properties.getMaxOpenFiles(),
                    e.getMessage(), "Set filelock.max-open-files to 1 or more (default 256).", e);
        }
        if (properties.getMechanism() != null) {
            builder.mechanism(properties.getMechanism());
        }
        builder.deleteIdleLockFiles(properties.isDeleteIdleLockFiles());
        try {
            return builder.build();
        } catch (FileLockException e) {
            String origin = dirIsDefault ? " (the default, since filelock.dir is not set)" : "";
            throw new InvalidFileLockPropertyException("filelock.dir", dir + origin, e.getMessage(),
                    "Set filelock.dir to a directory that this process can create and write to, on a local file"
                            + " system; every instance that must exclude the others needs the same directory.", e);
        }
    }
}
