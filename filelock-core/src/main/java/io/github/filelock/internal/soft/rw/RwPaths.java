package io.github.filelock.internal.soft.rw;

import java.nio.file.Path;

/**
 * The files of one read/write soft lock at {@code <lock>}, named as Python's {@code SoftReadWriteLock} names them.
 * The lock path itself is never created.
 *
 * @param state {@code <lock>.state}: a short-held SoftFileLock (protocol 1 marker) that serialises transitions
 * @param write {@code <lock>.write}: the writer's marker; while it exists no new reader enters
 * @param readers {@code <lock>.readers/}: one marker per reader
 */
record RwPaths(Path lock, Path state, Path write, Path readers) {

    static final String STATE = ".state";
    static final String WRITE = ".write";
    static final String READERS = ".readers";

    static RwPaths of(Path lock) {
        String base = lock.toString();
        return new RwPaths(lock, Path.of(base + STATE), Path.of(base + WRITE), Path.of(base + READERS));
    }

    /**
     * Whether a file in {@code readers/} is no reader: Python skips dot files and files being broken
     * ({@code .break.} in the name), and so does this.
     */
    static boolean housekeeping(String name) {
        return name.startsWith(".") || name.contains(".break");
    }
}
