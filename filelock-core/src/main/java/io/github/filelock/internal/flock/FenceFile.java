package io.github.filelock.internal.flock;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The fencing-token counter of one lock file: {@code <lock file>.fence}, beside it, holding the last token given as
 * decimal text ({@code cat} shows it). Not the lock file itself: Python's {@code UnixFileLock} truncates that, and
 * idle-file deletion removes it, and either would restart the count. Opened like a lock file (no symbolic link, no
 * other non-regular file, never truncated, the lock directory's file permissions) and advanced only under the
 * exclusive lock of its lock file, so read, +1, write needs no lock of its own.
 */
final class FenceFile implements Closeable {

    static final String SUFFIX = ".fence";
    private static final int MAX_BYTES = 32; // a long in decimal, a newline, and room to spot garbage

    private final Path path;
    private final FlockFile file;

    private FenceFile(Path path, FlockFile file) {
        this.path = path;
        this.file = file;
    }

    static Path of(Path lockFile) {
        return lockFile.resolveSibling(lockFile.getFileName() + SUFFIX);
    }

    static FenceFile open(FlockBackend backend, Path lockFile) throws IOException {
        Path path = of(lockFile);
        return new FenceFile(path, backend.open(path, true));
    }

    /** The last token plus one, written back (and fsynced when {@code durable}) before it is returned. */
    long next(boolean durable) throws IOException {
        long next = Math.addExact(last(), 1);
        byte[] text = (next + "\n").getBytes(StandardCharsets.US_ASCII);
        file.write(text, text.length);
        if (durable) {
            file.sync();
        }
        return next;
    }

    private long last() throws IOException {
        String text = new String(file.read(MAX_BYTES), StandardCharsets.US_ASCII).trim();
        if (text.isEmpty()) {
            return 0; // new: the first token is 1
        }
        try {
            long last = Long.parseLong(text);
            if (last >= 0) {
                return last;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IOException("Fencing-token file " + path + " does not hold a token count ('"
                + (text.length() > 20 ? text.substring(0, 20) + "..." : text) + "'): something else wrote it. Write"
                + " into it a number at least as large as any token it gave (deleting it restarts the count at 1,"
                + " which storage that checks tokens would refuse or, worse, accept after a restart).");
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    @Override
    public String toString() {
        return "fence(" + path + ")";
    }
}
