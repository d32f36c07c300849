package io.github.filelock.internal.soft.strict;

import io.github.filelock.LockHolder;
import io.github.filelock.LockType;
import io.github.filelock.internal.FileBackend;
import io.github.filelock.internal.FileSettings;
import io.github.filelock.internal.LockFileNames;
import io.github.filelock.internal.Log;
import io.github.filelock.internal.ProcessIdentity;
import io.github.filelock.internal.TestHooks;
import io.github.filelock.internal.posix.CPath;
import io.github.filelock.internal.soft.SoftPlatform;
import io.github.filelock.internal.soft.StartTokens;
import io.github.filelock.spi.LockSlot;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.math.BigInteger;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Strict soft locks ({@code strict-soft}), on disk exactly as Python filelock's {@code StrictSoftFileLock} (3.30+):
 * a permanent sentinel at {@code <dir>/<name>.lock} and owner claims in {@code <dir>/<name>.lock.filelock/claims},
 * so Java and Python strict holders exclude each other. A claim is never removed by age, by a dead pid or by anything
 * else a contender could guess: a crashed holder's claims block the lock until an operator breaks it
 * ({@link #breakLock}). Linux only, as the soft type.
 */
public final class StrictBackend extends FileBackend {

    /** The longest pause between two tries of a wait, until the soft poll interval is configurable. */
    public static final Duration DEFAULT_MAX_POLL = Duration.ofMillis(Polling.DEFAULT.max());

    private final Polling polling;
    private final Supplier<String> tokens;
    private final long pid = ProcessIdentity.PID;
    private final String host = ProcessIdentity.HOST;
    private final Optional<BigInteger> start = StartTokens.of(ProcessIdentity.PID);

    /**
     * @param maxPoll the longest pause between two tries of a wait
     * @throws UnsupportedOperationException naming the platform when strict locks are not supported here
     * @throws IllegalStateException when asked to delete idle files: the sentinel must stay
     */
    public StrictBackend(FileSettings settings, Duration maxPoll) {
        this(settings, maxPoll, () -> RecordFiles.randomHex(ClaimName.TOKEN_HEX_LENGTH));
    }

    StrictBackend(FileSettings settings, Duration maxPoll, Supplier<String> tokens) {
        super(settings);
        SoftPlatform.require("strict-soft", "statx(2), link(2)", settings, "their lock file is a permanent"
                + " sentinel, and deleting it lets legacy soft-lock users in");
        this.polling = Polling.upTo(maxPoll);
        this.tokens = tokens;
    }

    @Override
    public String type() {
        return LockType.STRICT_SOFT.id();
    }

    /** Each slot publishes claims of its own token, which exclude every other slot's, in this JVM too. */
    @Override
    public boolean independentSlots() {
        return true;
    }

    @Override
    public LockSlot openSlot(String key, Runnable onLoss) {
        return new StrictSlot(this, fileOf(key), onLoss);
    }

    /**
     * A key is held elsewhere while any claim is published (a held one names the holder; an intent alone is a
     * contender in the doorway, or one that crashed there and blocks the same), or while something other than the
     * sentinel is at its path (a legacy soft holder). A claim that cannot be read blocks too: held, holder unknown.
     */
    @Override
    public List<Elsewhere> inspectElsewhere(List<String> keys) throws IOException {
        List<Elsewhere> found = new ArrayList<>(keys.size());
        for (String key : keys) {
            Path file = fileOf(key);
            List<Claim> claims;
            try {
                claims = Claims.of(file);
            } catch (StrictProtocolException e) {
                found.add(new Elsewhere(true, Optional.empty(), Optional.empty()));
                continue;
            }
            if (!claims.isEmpty()) {
                found.add(new Elsewhere(true, Optional.of(claims.get(0).holder(key)), Optional.empty()));
            } else {
                found.add(new Elsewhere(Sentinel.other(file) != null, Optional.empty(), Optional.empty()));
            }
        }
        return found;
    }

    /**
     * The keys strict locks have used here: those with a claim directory, whose name maps back to the key (a hashed
     * file name cannot be listed, the hash is one-way). Listed by claim directory, not sentinel: claims block even
     * when someone deleted the sentinel.
     */
    @Override
    public List<String> knownKeys() throws IOException {
        String suffix = ".lock" + StrictPaths.COORDINATION_SUFFIX;
        List<String> keys = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory(), "*" + suffix)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                String key = name.substring(0, name.length() - suffix.length());
                if (LockFileNames.fileName(key).equals(name.substring(0, name.length()
                        - StrictPaths.COORDINATION_SUFFIX.length())) && Files.isDirectory(entry.resolve("claims"),
                        LinkOption.NOFOLLOW_LINKS)) {
                    keys.add(key);
                }
            }
        }
        return keys;
    }

    /** A claim does not name its lock. */
    @Override
    protected Optional<String> recordedName(Path file) {
        return Optional.empty();
    }

    /**
     * Removes the claims of the owner at the head of {@code key}'s claims: the holder, or, with no claim held, the
     * contender with the smallest intent (the one every other waits for). Its intent goes too, as it blocks as much as
     * a held claim. Python's {@code force_break} removes one claim per call by name; this removes every claim of one
     * token, logs each file it removed, and returns the owner the claims named; empty when they were gone by then (the
     * owner released). Other owners' claims stay.
     *
     * @throws StrictProtocolException naming the claim when a claim cannot be read: remove it by hand once its owner
     *     is known to be gone
     */
    @Override
    public Optional<LockHolder> breakLock(String key) throws IOException {
        Path file = fileOf(key);
        List<Claim> claims = Claims.of(file);
        if (claims.isEmpty()) {
            return Optional.empty();
        }
        Claim head = claims.get(0);
        TestHooks.reach("StrictBackend.breaking", head.name().fileName());
        String token = head.name().token();
        Path directory = StrictPaths.claimsOf(file);
        List<Path> removed = new ArrayList<>();
        for (Claim claim : claims) {
            if (claim.name().token().equals(token)) {
                Path claimFile = directory.resolve(claim.name().fileName());
                if (RecordFiles.unlink(CPath.of(claimFile))) {
                    removed.add(claimFile);
                }
            }
        }
        if (removed.isEmpty()) {
            return Optional.empty(); // its owner released them meanwhile: nobody was broken
        }
        String remaining = claims.stream().filter(c -> !c.name().token().equals(token))
                .map(c -> c.name().fileName()).collect(Collectors.joining(", "));
        Log.LOGGER.log(Level.WARNING, "Broke strict soft lock " + file + " on an operator's word: removed "
                + removed.stream().map(Path::toString).collect(Collectors.joining(" and ")) + ", the claim"
                + (removed.size() == 1 ? "" : "s") + " of " + head.describe() + ". If that owner still runs, it holds"
                + " the lock beside the next holder." + (remaining.isEmpty() ? ""
                        : " Claims of other owners remain and still block: " + remaining + "."));
        return Optional.of(head.holder(key));
    }

    Polling polling() {
        return polling;
    }

    String newToken() {
        return tokens.get();
    }

    byte[] claimRecord(String token) {
        return Claim.record(token, pid, host, start);
    }
}
