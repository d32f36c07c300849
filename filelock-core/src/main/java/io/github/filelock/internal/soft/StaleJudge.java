package io.github.filelock.internal.soft;

import io.github.filelock.internal.ProcessIdentity;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides whether a marker's holder is provably gone. On this host the pid tells: a dead pid, or a live pid
 * whose start token differs (the pid was reused), is stale; a live owner is never aged out. A marker from
 * another host, or one whose content cannot be read (torn, foreign), is judged by age: stale once its mtime,
 * which a live holder refreshes every heartbeat, is older than the lease.
 */
final class StaleJudge {

    private final Duration lease;

    StaleJudge(Duration lease) {
        this.lease = lease;
    }

    /** Why the marker is stale, or empty when its holder may be alive. */
    Optional<String> staleReason(byte[] content, Instant modified, Instant now) {
        Optional<MarkerOwner> owner = MarkerOwner.parse(content);
        if (owner.isPresent() && owner.get().host().equals(ProcessIdentity.HOST)) {
            MarkerOwner o = owner.get();
            if (!isAlive(o.pid())) {
                return Optional.of("its holder, " + o.describe() + ", is not running");
            }
            if (o.startToken().isPresent() && !StartTokens.matches(o.startToken().get(), o.pid())) {
                return Optional.of("pid " + o.pid() + " was reused by another process (its start token differs)");
            }
            return Optional.empty();
        }
        Duration age = Duration.between(modified, now);
        if (age.compareTo(lease) > 0) {
            String who = owner.map(MarkerOwner::describe).orElse("an unreadable holder");
            return Optional.of("its holder, " + who + ", has not refreshed it for " + age.toMillis()
                    + " ms, longer than the lease of " + lease.toMillis() + " ms");
        }
        return Optional.empty();
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
