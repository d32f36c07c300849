package io.github.filelock;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

/** {@link FileLockRegistry#obtainReadWrite(String)}: the read lock is SHARED, the write lock EXCLUSIVE. */
final class FileReadWriteLockView implements ReadWriteLock {

    private final Lock read;
    private final Lock write;

    FileReadWriteLockView(FileLockRegistry registry, String name) {
        this.read = new FileLockView(registry, name, LockMode.SHARED);
        this.write = new FileLockView(registry, name, LockMode.EXCLUSIVE);
    }

    @Override
    public Lock readLock() {
        return read;
    }

    @Override
    public Lock writeLock() {
        return write;
    }

    @Override
    public String toString() {
        return "ReadWrite" + write;
    }
}
