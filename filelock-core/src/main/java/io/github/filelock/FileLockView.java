package io.github.filelock;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/** {@link FileLockRegistry#obtain(String)}: one name seen as a {@link Lock}. */
final class FileLockView implements Lock {

    private final FileLockRegistry registry;
    private final String name;

    FileLockView(FileLockRegistry registry, String name) {
        this.registry = registry;
        this.name = name;
    }

    @Override
    public void lock() {
        registry.engine().acquire(name, LockMode.EXCLUSIVE, Timeouts.FOREVER, false, false);
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        try {
            registry.engine().acquire(name, LockMode.EXCLUSIVE, Timeouts.FOREVER, true, false);
        } catch (FileLockInterruptedException e) {
            Thread.interrupted();
            throw (InterruptedException) e.getCause();
        }
    }

    @Override
    public boolean tryLock() {
        return registry.engine().tryAcquire(name, LockMode.EXCLUSIVE, 0, false, false) != null;
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        try {
            return registry.engine().tryAcquire(name, LockMode.EXCLUSIVE, Timeouts.lockViewNanos(time, unit), true,
                    false) != null;
        } catch (FileLockInterruptedException e) {
            Thread.interrupted();
            throw (InterruptedException) e.getCause();
        }
    }

    @Override
    public void unlock() {
        registry.engine().releaseOne(name);
    }

    /** File locks have no condition variables. */
    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException("File locks do not support conditions");
    }

    @Override
    public String toString() {
        return "FileLock[" + name + " in " + registry.directory() + "]";
    }
}
