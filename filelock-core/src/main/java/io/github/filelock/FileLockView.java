package io.github.filelock;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * {@link FileLockRegistry#obtain(String)}: one name seen as a {@link Lock}, in one mode (the write lock, or the read
 * lock of {@link FileLockRegistry#obtainReadWrite(String)}). Holds are the calling thread's, shared with every other
 * view and every thread-bound hold of the name.
 */
final class FileLockView implements Lock {

    private final FileLockRegistry registry;
    private final String name;
    private final LockMode mode;

    FileLockView(FileLockRegistry registry, String name, LockMode mode) {
        this.registry = registry;
        this.name = name;
        this.mode = mode;
    }

    @Override
    public void lock() {
        registry.engine().acquire(name, mode, Timeouts.FOREVER, false, false);
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        try {
            registry.engine().acquire(name, mode, Timeouts.FOREVER, true, false);
        } catch (FileLockInterruptedException e) {
            Thread.interrupted();
            throw (InterruptedException) e.getCause();
        }
    }

    @Override
    public boolean tryLock() {
        return registry.engine().tryAcquire(name, mode, 0, false, false) != null;
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        try {
            return registry.engine().tryAcquire(name, mode, Timeouts.lockViewNanos(time, unit), true, false) != null;
        } catch (FileLockInterruptedException e) {
            Thread.interrupted();
            throw (InterruptedException) e.getCause();
        }
    }

    @Override
    public void unlock() {
        registry.engine().releaseOne(name, mode);
    }

    /** File locks have no condition variables. */
    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException("File locks do not support conditions");
    }

    @Override
    public String toString() {
        return "FileLock[" + name + (mode == LockMode.SHARED ? " (read)" : "") + " in " + registry.directory() + "]";
    }
}
