package io.github.filelock;

import java.nio.file.Path;
import java.time.Instant;

/** A lock held by a thread of this JVM, as listed by {@link FileLockRegistry#heldLocks()}. */
public record HeldLock(String name, Path file, LockMode mode, String thread, int holdCount, Instant acquiredAt) {
}
