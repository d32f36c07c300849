package io.github.filelock.internal;

import io.github.filelock.LockHolder;
import io.github.filelock.spi.LockBackend;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the three file backends (flock, FileChannel, soft markers) share: a key's lock lives in
 * {@code <directory>/<LockFileNames.fileName(key)>}, and the directory can be listed for a scan.
 */
public abstract class FileBackend implements LockBackend {

    protected final FileSettings settings;

    protected FileBackend(FileSettings settings) {
        this.settings = settings;
    }

    public FileSettings settings() {
        return settings;
    }

    public Path directory() {
        return settings.directory();
    }

    /** The lock file of {@code key}; the mapping is fixed (see {@link LockFileNames}). */
    public Path fileOf(String key) {
        return settings.directory().resolve(LockFileNames.fileName(key));
    }

    @Override
    public String location() {
        return settings.directory().toString();
    }

    @Override
    public String locationOf(String key) {
        return fileOf(key).toString();
    }

    @Override
    public List<LockHolder> holdersElsewhere(String key) throws IOException {
        return inspectElsewhere(List.of(key)).get(0).holder().stream().toList();
    }

    @Override
    public boolean isHeldElsewhere(String key) throws IOException {
        return inspectElsewhere(List.of(key)).get(0).held();
    }

    /**
     * The lock names of the directory's lock files. A plain file name is its own lock name; a hashed one
     * ({@code doc_42~<hash>.lock}) is named by its holder record when the record's name maps back to it, and
     * otherwise cannot be listed: the hash is one-way.
     */
    @Override
    public List<String> knownKeys() throws IOException {
        List<String> keys = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory(), "*" + LockFileNames.SUFFIX)) {
            for (Path file : files) {
                String fileName = file.getFileName().toString();
                String stem = fileName.substring(0, fileName.length() - LockFileNames.SUFFIX.length());
                if (LockFileNames.isPlain(stem)) {
                    keys.add(stem);
                } else {
                    recordedName(file).filter(name -> LockFileNames.fileName(name).equals(fileName))
                            .ifPresent(keys::add);
                }
            }
        }
        return keys;
    }

    /** The lock name the holder record in {@code file} gives, read without taking or dropping any lock. */
    protected abstract Optional<String> recordedName(Path file) throws IOException;

    @Override
    public void close() {
        // a file backend holds nothing beyond its slots
    }

    @Override
    public String toString() {
        return type() + " locks in " + location();
    }
}
