package io.github.filelock.internal.soft.lease;

import io.github.filelock.internal.Log;
import io.github.filelock.internal.soft.MarkerFiles;
import io.github.filelock.internal.soft.MarkerFiles.Observed;
import io.github.filelock.internal.soft.lease.LeaseFiles.Removal;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * Breaks a marker that {@link LeaseJudge} found stale, and only that one: the marker is moved aside and removed only
 * if the moved file has the identity, the mtime and the content that were judged. A holder that refreshed it in
 * between (a newer mtime), or a contender that replaced it (another identity or token), gets it back. Python's
 * {@code break_lock_file} checks the same, by inode and mtime.
 */
final class LeaseBreaker {

    /** The outcome of one attempt. */
    enum Outcome {
        /** Nothing is at the path: try to create the marker. */
        GONE,
        /** The marker's owner may still hold it. */
        LIVE,
        /** This call removed the stale marker. */
        BROKEN,
        /** The marker changed under us: try again shortly. */
        BUSY
    }

    private final LeaseJudge judge;
    private final Runnable onBreak;

    LeaseBreaker(LeaseJudge judge, Runnable onBreak) {
        this.judge = judge;
        this.onBreak = onBreak;
    }

    Outcome breakIfStale(Path file, byte[] path) throws IOException {
        Observed seen = MarkerFiles.observe(file, path);
        if (seen == null) {
            return Outcome.GONE;
        }
        Optional<String> reason = judge.staleReason(file, seen, Instant.now());
        if (reason.isEmpty()) {
            return Outcome.LIVE;
        }
        Removal removal = LeaseFiles.removeIf(file, path, moved -> sameAsJudged(seen, moved));
        if (removal == Removal.REMOVED) {
            onBreak.run();
            Log.LOGGER.log(Level.WARNING, "Broke stale lease marker " + file + ": " + reason.get());
            return Outcome.BROKEN;
        }
        return removal == Removal.GONE ? Outcome.GONE : Outcome.BUSY;
    }

    static boolean sameAsJudged(Observed judged, Observed moved) {
        return judged.stat().sameFile(moved.stat()) && judged.stat().modified().equals(moved.stat().modified())
                && Arrays.equals(judged.content(), moved.content());
    }
}
