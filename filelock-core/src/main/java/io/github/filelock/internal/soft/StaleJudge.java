package io.github.filelock.internal.soft;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides whether a marker may be broken, by Python filelock 3.32's {@code SoftFileLock} rules. A holder is judged by
 * proof of death alone ({@link OwnerLiveness}): a marker from another host (or another pid namespace) is never stale,
 * however old. A marker that names no holder (empty, torn, not UTF-8, another protocol) is stale once it is
 * {@value #MALFORMED_GRACE_MS} ms old, so a marker between its creation and its write is never taken for one. The
 * strict-soft sentinel is never stale. One rule of our own: a marker naming this very process that this JVM does not
 * hold ({@link OwnMarkers}) was orphaned by a failed removal, and is stale.
 */
final class StaleJudge {

    /** Python's {@code _MALFORMED_LOCK_AGE_THRESHOLD}. */
    static final long MALFORMED_GRACE_MS = 2000;

    /** Why the marker at {@code file} is stale, or empty when its holder may be alive. */
    Optional<String> staleReason(Path file, byte[] content, MarkerStat stat, Instant now) {
        Instant modified = stat.modified();
        if (StrictSentinel.is(content)) {
            return Optional.empty();
        }
        Optional<MarkerOwner> owner = MarkerOwner.parse(content);
        if (owner.isEmpty()) {
            Duration age = Duration.between(modified, now);
            if (age.toMillis() >= MALFORMED_GRACE_MS) {
                return Optional.of("it names no holder (" + preview(content) + ") and is " + age.toMillis()
                        + " ms old, past the " + MALFORMED_GRACE_MS + " ms in which a new marker may still be"
                        + " unwritten");
            }
            return Optional.empty();
        }
        MarkerOwner o = owner.get();
        if (o.isSelf() && OwnMarkers.isOrphan(stat)) {
            return Optional.of("it names this process, which does not hold it: a failed removal left it behind");
        }
        return OwnerLiveness.goneBecause(o.pid(), o.host(), o.startToken());
    }

    private static String preview(byte[] content) {
        if (content.length == 0) {
            return "empty";
        }
        String text = new String(content, 0, Math.min(content.length, 40), StandardCharsets.UTF_8);
        return "'" + text.replace("\n", "\\n").replace("\0", "\\0") + (content.length > 40 ? "...'" : "'");
    }
}
