package io.github.filelock;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The result of {@link FileLockRegistry#inspect(String)}: whether a lock is held and by whom. Taking this
 * reading never releases or takes the lock.
 *
 * @param name the lock name
 * @param file the lock file
 * @param state who holds it
 * @param recordedHolder the holder record found in the file (the current holder when {@code state} is
 *     held and the holder wrote one; a tool such as {@code flock(1)} writes none)
 * @param kernelPid the pid the kernel reports for the lock (Linux {@code /proc/locks}), when known
 */
public record LockStatus(String name, Path file, LockState state, Optional<LockHolder> recordedHolder,
        OptionalLong kernelPid) {

    public boolean isHeld() {
        return state != LockState.FREE;
    }
}
