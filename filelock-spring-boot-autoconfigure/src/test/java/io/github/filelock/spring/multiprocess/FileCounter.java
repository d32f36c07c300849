package io.github.filelock.spring.multiprocess;

import io.github.filelock.spring.FileLocked;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A counter kept in a file, updated by read-modify-write: only a lock keeps concurrent updates from being lost. */
public class FileCounter {

    private final Path file;

    public FileCounter(Path file) {
        this.file = file;
    }

    @FileLocked(name = "counter", timeout = "60s")
    public void increment() {
        try {
            int value = Files.exists(file) ? Integer.parseInt(Files.readString(file).trim()) : 0;
            Thread.yield(); // widen the read-to-write window a little
            Files.writeString(file, Integer.toString(value + 1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int value() throws IOException {
        return Files.exists(file) ? Integer.parseInt(Files.readString(file).trim()) : 0;
    }
}
