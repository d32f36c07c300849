package io.github.filelock;

import java.time.Instant;

/**
 * Who holds (or last held) a lock, as the holder recorded it in the lock file: process id, host, thread,
 * lock name and the instant it acquired the lock.
 */
public record LockHolder(long pid, String host, String thread, String lockName, Instant since) {

    /** A one-line description for log and exception messages. */
    public String describe() {
        return "pid " + pid + " on " + host + ", thread " + thread + ", since " + since;
    }
}
