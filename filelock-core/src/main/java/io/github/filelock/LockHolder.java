package io.github.filelock;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Who holds (or last held) a lock, as read from where the holder published it: the holder record in the lock file,
 * or a soft lock's marker.
 *
 * @param pid the holder's process id
 * @param host the holder's host name
 * @param thread the thread that took the lock; empty for a soft lock, whose marker does not record one
 * @param name the lock name as the holder wrote it (cut at 512 characters); empty when it wrote none
 * @param acquiredAt when the holder acquired the lock
 */
public record LockHolder(long pid, String host, Optional<String> thread, Optional<String> name, Instant acquiredAt) {

    public LockHolder {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(thread, "thread");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(acquiredAt, "acquiredAt");
    }

    /** A one-line description for log and exception messages. */
    public String describe() {
        return "pid " + pid + " on " + host + thread.map(t -> ", thread " + t).orElse("") + ", since " + acquiredAt;
    }
}
