package io.github.filelock;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A snapshot of one hold in this JVM, as listed by {@link FileLockDiagnostics#localHolds()} and
 * {@link FileLockDiagnostics#pendingReleases()}: a thread's (with its hold count), or a detached hold's (with the
 * name of the thread that took it).
 */
public record LocalHold(String name, Path file, LockMode mode, String thread, int holdCount, Instant acquiredAt) {
}
