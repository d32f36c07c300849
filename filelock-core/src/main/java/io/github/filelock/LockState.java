package io.github.filelock;

/** What an inspection found out about a lock file. */
public enum LockState {
    /** No file, or nobody holds the lock. */
    FREE,
    /** A thread of this JVM holds it. */
    HELD_BY_THIS_PROCESS,
    /** Another process holds it. */
    HELD_BY_OTHER_PROCESS
}
