package io.github.filelock;

import java.time.Instant;

/** A thread of this JVM waiting for a lock, as listed by {@link FileLockDiagnostics#waiters()}. */
public record LockWaiter(String name, String thread, LockMode mode, Instant waitingSince) {
}
