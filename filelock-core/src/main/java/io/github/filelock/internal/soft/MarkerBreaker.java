package io.github.filelock.internal.soft;

import io.github.filelock.internal.Log;
import io.github.filelock.internal.TestHooks;
import io.github.filelock.internal.posix.CPath;
import io.github.filelock.internal.soft.MarkerFiles.Observed;
import io.github.filelock.internal.soft.MarkerFiles.Removal;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.Lock;

/**
 * Breaks a stale marker so that, of any number of contenders that judged it stale at once, exactly one
 * removes it, and no live marker is ever deleted.
 *
 * <p>The protocol, for a marker {@code M} at path {@code P}:
 * <ol>
 * <li><b>Judge.</b> Open {@code P} ({@code O_NOFOLLOW}), read its content and {@code fstat} the same
 *     descriptor, so the verdict is about one inode, {@code M}. Not stale: stop.</li>
 * <li><b>Serialise.</b> Create the break marker {@code P.break} with {@code O_EXCL}, holding our own
 *     {@code pid/host/token}. If it exists, another breaker is at work: stop and retry later. (A break marker
 *     whose breaker died is judged like any marker, and removed with step 4's rule.)</li>
 * <li><b>Judge again</b> under the break marker: what is at {@code P} now? Nothing: stop. A live marker: stop.
 *     Breakers are serialised, and a dead holder does not remove its own marker, so the marker judged here
 *     stays at {@code P} until we move it.</li>
 * <li><b>Remove by identity</b> ({@link MarkerFiles#removeIfSame}): rename {@code P} to a private name, compare
 *     the moved inode and content with the judged ones, unlink it only if equal; otherwise link it back with
 *     {@code link(2)}, which fails rather than replace a marker created meanwhile.</li>
 * <li>Remove the break marker by identity, the same way.</li>
 * </ol>
 * Two breakers can never both win: only the holder of {@code P.break} renames {@code P}, and the rename moves
 * one inode to one private name. What remains is a microsecond window when a marker judged stale is removed by
 * another hand between steps 3 and 4 (an operator's break, or the still-living writer of a malformed marker) and a
 * newcomer creates one: step 4 moves the newcomer's marker, finds another inode or content and puts it back; only a
 * third contender creating a marker within those microseconds would displace it, and the newcomer then finds its
 * hold lost when it releases. The newcomer and the third contender are other processes: within this JVM, steps 3
 * and 4 run as one break under {@link OwnMarkers}' step lock for the name, and no slot here creates or removes a
 * marker meanwhile.
 */
final class MarkerBreaker {

    /** The outcome of one attempt. */
    enum Outcome {
        /** Nothing is at the path: try to create the marker. */
        GONE,
        /** The marker's holder may be alive. */
        LIVE,
        /** This call removed the stale marker. */
        BROKEN,
        /** Another breaker is at work, or the marker changed under us: try again shortly. */
        BUSY
    }

    private final StaleJudge judge;
    private final Runnable onBreak;

    MarkerBreaker(StaleJudge judge, Runnable onBreak) {
        this.judge = judge;
        this.onBreak = onBreak;
    }

    /**
     * @throws StrictSentinelException when the path holds a strict-soft sentinel, which is never broken
     */
    Outcome breakIfStale(Path file, byte[] path, byte[] ourContent) throws IOException {
        Observed seen = MarkerFiles.observe(file, path);
        TestHooks.reach("MarkerBreaker.observed", file);
        if (seen == null) {
            return Outcome.GONE;
        }
        if (StrictSentinel.is(seen.content())) {
            throw new StrictSentinelException(file);
        }
        if (staleReason(file, seen).isEmpty()) {
            return Outcome.LIVE;
        }
        Path breakFile = Path.of(file + ".break");
        byte[] breakPath = CPath.of(breakFile);
        // The break marker is ours too: recorded before any break here judges it.
        OwnMarker ours = OwnMarker.create(breakFile, breakPath, ourContent, 0600);
        if (ours == null) {
            removeStaleBreakMarker(breakFile, breakPath);
            return Outcome.BUSY;
        }
        try {
            TestHooks.reach("MarkerBreaker.serialised", file);
            return breakUnderBreakMarker(file, path);
        } finally {
            ours.release(ourContent);
        }
    }

    // Judged again and removed as one break: no create or removal of this JVM's markers runs in between.
    private Outcome breakUnderBreakMarker(Path file, byte[] path) throws IOException {
        Optional<String> reason;
        Removal removal;
        Lock breaking = OwnMarkers.breaking(file);
        breaking.lock();
        try {
            Observed now = MarkerFiles.observe(file, path);
            TestHooks.reach("MarkerBreaker.observed", file);
            if (now == null) {
                return Outcome.GONE;
            }
            reason = staleReason(file, now);
            if (reason.isEmpty()) {
                return Outcome.LIVE;
            }
            TestHooks.reach("MarkerBreaker.judged", file);
            removal = MarkerFiles.removeIfSame(path, now.stat(), now.content());
        } finally {
            breaking.unlock();
        }
        if (removal == Removal.REMOVED) {
            onBreak.run();
            Log.LOGGER.log(Level.WARNING, "Broke stale soft lock marker " + file + ": " + reason.get());
            return Outcome.BROKEN;
        }
        return removal == Removal.GONE ? Outcome.GONE : Outcome.BUSY;
    }

    // A breaker died between steps 2 and 5 (or, in this JVM, failed to remove its own): its break marker is judged
    // like a lock marker.
    private void removeStaleBreakMarker(Path breakFile, byte[] breakPath) throws IOException {
        boolean removed;
        Lock breaking = OwnMarkers.breaking(breakFile);
        breaking.lock();
        try {
            Observed seen = MarkerFiles.observe(breakFile, breakPath);
            removed = seen != null && staleReason(breakFile, seen).isPresent()
                    && MarkerFiles.removeIfSame(breakPath, seen.stat(), seen.content()) == Removal.REMOVED;
        } finally {
            breaking.unlock();
        }
        if (removed) {
            Log.LOGGER.log(Level.WARNING, "Removed the break marker " + breakFile + " left by a breaker"
                    + " that is gone");
        }
    }

    private Optional<String> staleReason(Path file, Observed observed) {
        return judge.staleReason(file, observed.content(), observed.stat(), Instant.now());
    }
}
