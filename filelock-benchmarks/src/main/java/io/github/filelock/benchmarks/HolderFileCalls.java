package io.github.filelock.benchmarks;

import io.github.filelock.internal.posix.CPath;
import io.github.filelock.internal.posix.Statx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The file calls that a lock which checks its file and names its holder makes for each new holder, as the registry
 * does: a {@code statx} of the lock file's path (is it still our file?), a {@code pwrite} of a holder record at the
 * start of the file, and a {@code statx} of the descriptor (the record's mtime and size, so that an unchanged record
 * can be left alone later). For floors measured beside the registry; not thread-safe: call it under the lock.
 */
public final class HolderFileCalls {

    private final Path file;
    private final int fd;
    private final byte[] path;
    private final byte[] record;
    private final Statx stat = new Statx();

    public HolderFileCalls(Path file, int fd, String lockName) {
        this.file = file;
        this.fd = fd;
        this.path = CPath.of(file);
        this.record = ("pid=" + ProcessHandle.current().pid() + "\nhost=bench\nthread=main\nname=" + lockName
                + "\nacquired=2026-11-30T00:00:00.000Z\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The calls after a grant. */
    public void afterGrant() {
        try {
            if (!stat.ofPath(path, Statx.INO | Statx.SIZE | Statx.MTIME)) {
                throw new IllegalStateException("the lock file is gone: " + file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        NativeFlock.writeAtStart(fd, record);
        stat.ofDescriptor(fd, Statx.MTIME | Statx.SIZE);
    }
}
