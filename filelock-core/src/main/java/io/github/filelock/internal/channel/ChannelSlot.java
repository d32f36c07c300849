package io.github.filelock.internal.channel;

import io.github.filelock.LockMode;
import io.github.filelock.internal.KernelLockSlot;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One key's FileChannel lock, through the file's one shared descriptor ({@link ChannelFile}): this slot is one
 * counted user of it ({@link ChannelBackend#use}). As with flock, a grant on a file that is no longer at its path is
 * taken again on the file that is. Never lost.
 */
final class ChannelSlot extends KernelLockSlot<ChannelFile> {

    private final ChannelBackend backend;
    private volatile boolean abandoned;

    ChannelSlot(ChannelBackend backend, Path file) {
        super(backend, file);
        this.backend = backend;
    }

    @Override
    protected ChannelFile openFile(Path file) throws IOException {
        return backend.use(file, true);
    }

    @Override
    protected void release(ChannelFile file) throws IOException {
        backend.release(file);
    }

    /** A deleted file: new users of its path get a fresh descriptor; this slot is done with the stale one. */
    @Override
    protected void releaseStale(ChannelFile stale) throws IOException {
        backend.forget(stale);
        backend.release(stale);
    }

    @Override
    protected boolean await(ChannelFile current, LockMode mode) throws IOException {
        if (current.lock(mode, () -> abandoned)) {
            return true;
        }
        abandoned = false;
        return false;
    }

    /** Stops retrying after a false deadlock; a kernel wait under way cannot be stopped. */
    @Override
    public void abandon() {
        abandoned = true;
    }

    @Override
    public String toString() {
        return "channel slot(" + path() + ")";
    }
}
