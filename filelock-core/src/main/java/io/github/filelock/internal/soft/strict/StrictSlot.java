package io.github.filelock.internal.soft.strict;

import io.github.filelock.LockHolder;
import io.github.filelock.LockMode;
import io.github.filelock.internal.Log;
import io.github.filelock.internal.TestHooks;
import io.github.filelock.internal.posix.CPath;
import io.github.filelock.internal.soft.strict.RecordFiles.Publication;
import io.github.filelock.spi.LockSlot;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One strict lock, taken through Python filelock's claim doorway:
 * <ol>
 * <li>with the sentinel at the path and no claim published, publish {@code intent-v1-<token>.claim};</li>
 * <li>go on only if no claim is held and this intent is the smallest name, else withdraw;</li>
 * <li>link the intent to {@code held-v1-<token>.claim};</li>
 * <li>hold only if both claims are still there and no claim has a smaller token, else withdraw both.</li>
 * </ol>
 * Both claims stay for the whole hold: the intent has existed unchanged since before the held claim was linked, so
 * every contender's directory scan sees it, while a scan racing the fresh link may miss the held claim. Release
 * removes exactly the two claims by name, so it can never remove a successor's. Nothing ever removes another
 * owner's claim (only {@link StrictBackend#breakLock}, on an operator's word).
 *
 * <p>Waiting polls the doorway ({@link Polling}). The engine serialises calls, except {@link #abandon()} and
 * {@link #isValid()}.
 */
final class StrictSlot implements LockSlot {

    private final StrictBackend backend;
    private final Path file;
    private final Runnable onLoss;
    private volatile boolean abandoned;
    private volatile boolean lost;

    // Claims this slot published (or is publishing) and has not removed yet, the held one first; while held, exactly
    // two.
    private final List<ClaimName> own = new ArrayList<>(2);
    private boolean held;

    StrictSlot(StrictBackend backend, Path file, Runnable onLoss) {
        this.backend = backend;
        this.file = file;
        this.onLoss = onLoss;
    }

    @Override
    public boolean tryLock(LockMode mode) throws IOException {
        if (mode != LockMode.EXCLUSIVE) {
            throw new UnsupportedOperationException("strict-soft locks are exclusive only, and " + file + " was asked"
                    + " for " + mode + " (Python's StrictSoftFileLock has no readers either). Take the lock EXCLUSIVE,"
                    + " or use soft-rw locks for readers and writers.");
        }
        if (held) {
            return true;
        }
        withdraw(); // claims a failed withdrawal left behind
        RecordFiles.ensureDirectory(file, StrictPaths.coordinationOf(file));
        RecordFiles.ensureDirectory(file, StrictPaths.claimsOf(file));
        if (!Sentinel.ensure(file, backend.settings().modeBits())) {
            return false;
        }
        try {
            held = doorway();
        } catch (IOException | RuntimeException e) {
            try {
                withdraw();
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        if (held) {
            lost = false;
        }
        return held;
    }

    private boolean doorway() throws IOException {
        if (!Claims.of(file).isEmpty()) {
            return false;
        }
        ClaimName intent = ClaimName.intent(backend.newToken());
        TestHooks.reach("StrictSlot.beforeIntent", this);
        Path claims = StrictPaths.claimsOf(file);
        // Listed before it is linked: an error just after the link must not leave it unknown here, as nothing else
        // removes a claim. The name holds our random token, so removing it can only remove ours, or nothing.
        own.add(intent);
        if (RecordFiles.publish(file, claims, intent.fileName(), backend.claimRecord(intent.token()),
                backend.settings().modeBits()) != Publication.PUBLISHED) {
            withdraw();
            return false;
        }
        List<Claim> seen = Claims.of(file);
        if (seen.isEmpty() || seen.stream().anyMatch(c -> c.name().held()) || !seen.get(0).name().equals(intent)) {
            withdraw();
            return false;
        }
        TestHooks.reach("StrictSlot.intentWon", this);
        ClaimName heldName = ClaimName.heldBy(intent.token());
        own.add(0, heldName); // before the link, as the intent
        RecordFiles.link(file, CPath.of(claims.resolve(intent.fileName())),
                CPath.of(claims.resolve(heldName.fileName())));
        seen = Claims.of(file);
        List<ClaimName> names = seen.stream().map(Claim::name).toList();
        String smallest = names.stream().map(ClaimName::tokenKey).min(String::compareTo).orElse("");
        if (!names.containsAll(own) || !smallest.equals(intent.tokenKey())) {
            withdraw();
            return false;
        }
        return true;
    }

    /** Polls the doorway until this slot holds the lock (true) or the wait was abandoned (false). */
    @Override
    public boolean lock(LockMode mode) throws IOException {
        Polling polling = backend.polling();
        long pause = polling.first();
        while (!tryLock(mode)) {
            Polling.sleep(pause);
            // After the pause, before the next try: an abandoned wait must not take a lock nobody waits for.
            if (abandoned) {
                abandoned = false;
                return false;
            }
            pause = polling.next(pause);
        }
        return true;
    }

    @Override
    public void abandon() {
        abandoned = true;
    }

    /**
     * Removes this slot's two claims. A held claim found gone was removed by an operator break while held: the hold
     * was lost, and is reported so.
     */
    @Override
    public void unlock() throws IOException {
        if (!held) {
            return;
        }
        held = false;
        ClaimName heldName = own.get(0);
        boolean wasThere = unlinkOwn(heldName);
        own.remove(0);
        withdraw();
        if (!wasThere) {
            lost = true;
            Log.LOGGER.log(Level.WARNING, "Strict soft lock " + file + ": this process's claim "
                    + StrictPaths.claimsOf(file).resolve(heldName.fileName()) + " was removed while it was held, by"
                    + " an operator break; another process may have held the lock beside this one since.");
            onLoss.run();
        }
    }

    @Override
    public void describeHolder(LockHolder holder) {
        // the claim record is the holder record: Python reads it from there
    }

    @Override
    public boolean isValid() {
        return !lost;
    }

    @Override
    public void close() throws IOException {
        unlock();
        withdraw();
    }

    /** Removes what is left of this slot's claims; what cannot be removed stays listed, for the next call. */
    private void withdraw() throws IOException {
        while (!own.isEmpty()) {
            unlinkOwn(own.get(0));
            own.remove(0);
        }
    }

    private boolean unlinkOwn(ClaimName name) throws IOException {
        try {
            return RecordFiles.unlink(CPath.of(StrictPaths.claimsOf(file).resolve(name.fileName())));
        } catch (IOException e) {
            throw new IOException("Strict soft lock " + file + ": cannot remove this process's claim " + name.fileName()
                    + ", which blocks every contender until it is removed; it is retried at the next attempt. "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "strict-soft slot(" + file + ")";
    }
}
