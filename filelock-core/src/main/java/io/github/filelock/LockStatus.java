package io.github.filelock;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The result of {@link FileLockDiagnostics#inspect(String)}: whether a lock is held and by whom. Taking this
 * reading never releases or takes the lock.
 *
 * @param name the lock name
 * @param file the lock file
 * @param state who holds it
 * @param holder the holder as it recorded itself (in the file, or a soft lock's marker), when {@code state} is held
 *     and the holder wrote a record; a tool such as {@code flock(1)} writes none
 * @param kernelPid the pid the kernel reports for the lock (Linux {@code /proc/locks}), when known
 */
public record LockStatus(String name, Path file, LockState state, Optional<LockHolder> holder,
        Optional<Long> kernelPid) {

    public boolean isHeld() {
        return state != LockState.FREE;
    }
}
