package io.github.filelock.internal.flock;

import io.github.filelock.LockMode;
import io.github.filelock.internal.CallerWait;
import io.github.filelock.internal.KernelLockSlot;
import io.github.filelock.internal.posix.InterruptSignal;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One key's flock lock through one descriptor, opened for this slot and closed with it. Never lost: the kernel
 * keeps a flock lock until it is let go or the process ends.
 */
final class FlockSlot extends KernelLockSlot<FlockFile> {

    private final FlockBackend backend;

    FlockSlot(FlockBackend backend, Path file) {
        super(backend, file);
        this.backend = backend;
    }

    @Override
    protected FlockFile openFile(Path file) throws IOException {
        return backend.open(file, true);
    }

    @Override
    protected void release(FlockFile file) throws IOException {
        file.close();
    }

    /** Blocks in the kernel; {@link #abandon()} cannot stop it, so this always ends granted (or failed). */
    @Override
    protected boolean await(FlockFile current, LockMode mode) throws IOException {
        current.lock(mode);
        return true;
    }

    /** Blocks in the caller's thread; the signal (once verified) interrupts the call for a stop. */
    @Override
    protected boolean awaitInCaller(FlockFile current, LockMode mode, CallerWait wait) throws IOException {
        return current.lock(mode, wait);
    }

    @Override
    protected InterruptSignal callerWaitSignal() {
        return backend.interruptSignal();
    }

    @Override
    public void abandon() {
        // a flock(2) call cannot be interrupted from another thread; the engine lets go of a late grant
    }

    /**
     * Read, +1, write in {@code <lock file>.fence}, under this slot's exclusive lock (see {@link FenceFile}). Opened
     * for each token, not kept: a kept descriptor would go on counting in a file that someone replaced or deleted.
     */
    @Override
    public long nextFencingToken(boolean durable) throws IOException {
        try (FenceFile fence = FenceFile.open(backend, path())) {
            return fence.next(durable);
        }
    }

    @Override
    public String toString() {
        return "flock slot(" + path() + ")";
    }
}
