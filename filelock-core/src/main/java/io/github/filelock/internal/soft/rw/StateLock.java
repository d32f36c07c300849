package io.github.filelock.internal.soft.rw;

import io.github.filelock.internal.Log;
import io.github.filelock.internal.ProcessIdentity;
import io.github.filelock.internal.TestHooks;
import io.github.filelock.internal.posix.CPath;
import io.github.filelock.internal.soft.MarkerFiles;
import io.github.filelock.internal.soft.MarkerFiles.Observed;
import io.github.filelock.internal.soft.MarkerFiles.Removal;
import io.github.filelock.internal.soft.MarkerStat;
import io.github.filelock.internal.soft.OwnerLiveness;
import io.github.filelock.internal.soft.StartTokens;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The mutex of one read/write lock's transitions, {@code <lock>.state}: the protocol 1 marker of Python's
 * {@code SoftFileLock} ({@code pid\nhost\nstart_token\n}, created with {@code O_EXCL}), which Python's
 * {@code SoftReadWriteLock} takes for the microseconds of each check-and-create. It is judged as Python judges it:
 * fail closed. Another host's marker is never broken (there is no heartbeat on it); a marker of this host is broken
 * only when its pid is provably gone; an unparsable one once it is two seconds old (past a peer's create-then-write
 * window); Python's strict-soft sentinel never.
 */
final class StateLock {

    /** What Python's StrictSoftFileLock leaves at a lock path for good; a SoftFileLock never breaks it. */
    static final String STRICT_SENTINEL = "1\nfilelock-strict-v1\0\n0\n";

    private static final Duration MALFORMED_GRACE = Duration.ofSeconds(2);

    private final Path file;
    private final byte[] path;
    private final byte[] content;
    private final int mode;

    StateLock(Path file, int mode) {
        this.file = file;
        this.path = CPath.of(file);
        this.mode = mode;
        this.content = ownContent();
    }

    /** One taken state lock; closing it removes the marker if it is still the one we created. */
    final class Held implements AutoCloseable {

        private final MarkerStat ours;

        private Held(MarkerStat ours) {
            this.ours = ours;
        }

        @Override
        public void close() throws IOException {
            if (MarkerFiles.removeIfSame(path, ours) != Removal.REMOVED) {
                Log.LOGGER.log(Level.WARNING, "The state lock " + file + " was not ours when released: another"
                        + " process broke it while this one held it (it judged its holder gone)");
            }
        }
    }

    /**
     * One attempt, breaking a provably stale marker first if one is in the way.
     *
     * @return the held state lock, or empty when a live (or unprovable) holder has it
     */
    Optional<Held> tryTake() throws IOException {
        for (int attempt = 0; attempt < 2; attempt++) {
            int fd = MarkerFiles.createExclusive(file, path, content, mode);
            if (fd >= 0) {
                try {
                    return Optional.of(new Held(MarkerStat.ofDescriptor(fd)));
                } finally {
                    MarkerFiles.closeQuietly(fd);
                }
            }
            if (!breakIfStale()) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * Polls until taken or {@code patience} has passed. The state lock is held for microseconds, so only a holder
     * that died on another host keeps it longer, and that one is never broken.
     */
    Optional<Held> take(Duration patience) throws IOException {
        long deadline = System.nanoTime() + patience.toNanos();
        long pause = 1;
        while (true) {
            Optional<Held> held = tryTake();
            if (held.isPresent() || System.nanoTime() - deadline > 0) {
                return held;
            }
            TestHooks.reach("StateLock.busy", file); // taken by another: pause, then try again
            RwSlot.sleep(pause);
            pause = Math.min(20, pause * 2);
        }
    }

    private boolean breakIfStale() throws IOException {
        Observed seen = MarkerFiles.observe(file, path);
        if (seen == null) {
            return true; // released meanwhile: try again
        }
        Optional<String> reason = staleReason(seen.content(), seen.stat().modified(), Instant.now());
        if (reason.isEmpty()) {
            return false;
        }
        if (MarkerFiles.removeIfSame(path, seen.stat()) == Removal.REMOVED) {
            Log.LOGGER.log(Level.WARNING, "Broke the stale state lock " + file + ": " + reason.get());
        }
        return true;
    }

    /** Python's SoftFileLock rules for a marker in the way; empty when it must be left alone. */
    static Optional<String> staleReason(byte[] content, Instant modified, Instant now) {
        String text = new String(content, StandardCharsets.UTF_8);
        if (text.equals(STRICT_SENTINEL)) {
            return Optional.empty();
        }
        Optional<Holder> holder = Holder.parse(content);
        if (holder.isEmpty()) {
            return Duration.between(modified, now).compareTo(MALFORMED_GRACE) >= 0
                    ? Optional.of("its content is not a SoftFileLock marker and it is older than "
                            + MALFORMED_GRACE.toSeconds() + " s")
                    : Optional.empty();
        }
        Holder h = holder.get();
        return OwnerLiveness.provablyGone(h.pid(), h.host(), h.startToken())
                ? Optional.of("its holder, pid " + h.pid() + " on " + h.host() + ", is gone")
                : Optional.empty();
    }

    /** A protocol 1 holder as Python's {@code _parse_lock_holder} reads it: two or three lines after a strip. */
    record Holder(long pid, String host, Optional<BigInteger> startToken) {

        static Optional<Holder> parse(byte[] content) {
            if (content.length == 0 || content.length > RwMarker.MAX_SIZE) {
                return Optional.empty();
            }
            String[] lines = new String(content, StandardCharsets.UTF_8).strip().split("\\R", -1);
            if (lines.length != 2 && lines.length != 3) {
                return Optional.empty();
            }
            try {
                long pid = Long.parseLong(lines[0].strip());
                Optional<BigInteger> token = lines.length == 3
                        ? Optional.of(new BigInteger(lines[2].strip())) : Optional.empty();
                if (pid < 1 || pid > Integer.MAX_VALUE) {
                    return Optional.empty();
                }
                return Optional.of(new Holder(pid, lines[1], token));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }

    private static byte[] ownContent() {
        String text = ProcessIdentity.PID + "\n" + ProcessIdentity.HOST + "\n"
                + StartTokens.of(ProcessIdentity.PID).map(t -> t + "\n").orElse("");
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "state lock " + file;
    }
}
