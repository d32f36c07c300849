package io.github.filelock;

/** How a lock is held: alone, or together with other readers. */
public enum LockMode {
    /** One holder at a time ({@code flock LOCK_EX}). */
    EXCLUSIVE,
    /** Any number of holders, excluded by an exclusive holder ({@code flock LOCK_SH}). */
    SHARED
}
