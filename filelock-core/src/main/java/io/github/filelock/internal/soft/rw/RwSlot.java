package io.github.filelock.internal.soft.rw;

import io.github.filelock.LockHolder;
import io.github.filelock.LockMode;
import io.github.filelock.internal.Log;
import io.github.filelock.internal.ProcessIdentity;
import io.github.filelock.internal.soft.rw.RwMarkerFiles.Refresh;
import io.github.filelock.internal.soft.rw.StateLock.Held;
import io.github.filelock.spi.LockSlot;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One read/write soft lock, as Python's {@code SoftReadWriteLock} takes it. Every step runs under the state lock.
 * <ul>
 * <li>SHARED: evict a stale writer marker; if a writer marker is there, wait; else create a reader marker
 *     {@code readers/<uuid>.<pid>}.</li>
 * <li>EXCLUSIVE, phase 1: evict a stale writer marker, then create {@code <lock>.write}; from then on no new reader
 *     enters (writer preference). Phase 2: refresh our writer marker (claiming it again if it was evicted meanwhile),
 *     evict stale readers, and wait until no reader is left.</li>
 * </ul>
 * While held, a heartbeat refreshes the marker's mtime through a descriptor whose token it checked. A marker found
 * gone or another's, or refreshes failing for longer than the stale threshold minus one heartbeat, is a lost hold,
 * reported through {@code onLoss} once per grant. Waiting polls after {@value #FIRST_POLL_MS} ms (or the poll interval,
 * if shorter), doubling the pause up to the poll interval ({@code filelock.soft.poll-interval}), until granted or
 * abandoned; the writer's phase 2 refreshes its claim at every poll.
 */
final class RwSlot implements LockSlot {

    static final long FIRST_POLL_MS = 5;
    // How long a release waits for the state lock before it removes its marker without it (by token and inode).
    private static final Duration RELEASE_PATIENCE = Duration.ofSeconds(2);

    private final RwBackend backend;
    private final RwPaths paths;
    private final StateLock state;
    private final Runnable onLoss;
    private volatile boolean abandoned;
    private final ReentrantLock lock = new ReentrantLock();

    // guarded by lock
    private @Nullable Hold hold;
    // written under lock; read without it, so isValid() never waits for a beat's file system calls
    private volatile boolean lost;

    /** A granted lock: its marker, its token and its heartbeat. */
    private static final class Hold {
        final LockMode mode;
        final Path marker;
        final String token;
        @Nullable ScheduledFuture<?> beat;
        long lastRefresh = System.nanoTime();

        Hold(LockMode mode, Path marker, String token) {
            this.mode = mode;
            this.marker = marker;
            this.token = token;
        }
    }

    RwSlot(RwBackend backend, RwPaths paths, Runnable onLoss) {
        this.backend = backend;
        this.paths = paths;
        this.state = new StateLock(paths.state(), backend.settings().modeBits());
        this.onLoss = onLoss;
    }

    @Override
    public boolean tryLock(LockMode mode) throws IOException {
        lock.lock();
        try {
            if (hold != null) {
                return true;
            }
            return mode == LockMode.SHARED ? tryRead() : tryWrite();
        } finally {
            lock.unlock();
        }
    }

    // Both phases once, under one state lock; a claim that does not end in the lock is given back.
    private boolean tryWrite() throws IOException {
        String token = RwMarker.newToken();
        try (Held s = state.tryTake().orElse(null)) {
            if (s == null || !claimWriter(token)) {
                return false;
            }
            boolean drained = false;
            try {
                drained = readersDrained(token);
            } finally {
                if (!drained) {
                    RwMarkerFiles.removeIfOurs(paths.write(), token); // one attempt: readers get their turn back
                }
            }
            if (drained) {
                granted(LockMode.EXCLUSIVE, paths.write(), token);
            }
            return drained;
        }
    }

    /** Polls until granted (true) or abandoned (false); a writer keeps its claim while readers drain. */
    @Override
    public boolean lock(LockMode mode) throws IOException {
        if (mode == LockMode.SHARED) {
            return poll(() -> tryLock(LockMode.SHARED));
        }
        String token = RwMarker.newToken();
        if (!poll(() -> underState(() -> claimWriter(token)))) {
            return false;
        }
        boolean drained = false;
        try {
            drained = poll(() -> underState(() -> readersDrained(token)));
        } finally {
            if (!drained) {
                removeWriterClaim(token); // abandoned or failed: our claim must not keep readers out
            }
        }
        if (!drained) {
            return false;
        }
        lock.lock();
        try {
            granted(LockMode.EXCLUSIVE, paths.write(), token);
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void abandon() {
        abandoned = true;
    }

    /** Removes our marker; finding it gone or another's means the hold was lost. */
    @Override
    public void unlock() throws IOException {
        lock.lock();
        try {
            Hold h = hold;
            if (h == null) {
                return;
            }
            hold = null;
            stopBeat(h);
            boolean removed;
            if (h.mode == LockMode.SHARED) {
                removed = removeReader(h.marker, h.token);
            } else {
                removed = removeWriterClaim(h.token);
            }
            if (!removed && !lost) {
                reportLost(h, "its marker " + h.marker + " was gone or another's at release");
            }
        } finally {
            lock.unlock();
        }
    }

    /** Markers carry the fixed {@code token/pid/host} protocol, written when created. */
    @Override
    public void describeHolder(LockHolder holder) {
        // already published: Python parses the marker
    }

    @Override
    public boolean isValid() {
        return !lost;
    }

    /** Markers exist only while held or claimed, so there is never an idle file to delete. */
    @Override
    public void close() throws IOException {
        unlock();
    }

    /** One heartbeat: refresh our marker, or learn that it was lost. */
    void beat() {
        lock.lock();
        try {
            Hold h = hold;
            if (h == null || lost) {
                return;
            }
            Refresh refresh = RwMarkerFiles.refreshIfOurs(h.marker, h.token);
            switch (refresh) {
                case OURS -> h.lastRefresh = System.nanoTime();
                case GONE -> reportLostByBeat(h, "its marker " + h.marker + " was evicted");
                case OTHER -> reportLostByBeat(h, "its marker " + h.marker + " was evicted and replaced by another");
                case FAILED -> {
                    Duration failing = Duration.ofNanos(System.nanoTime() - h.lastRefresh);
                    if (failing.compareTo(backend.staleThreshold().minus(backend.heartbeat())) > 0) {
                        reportLostByBeat(h, "its marker " + h.marker + " could not be refreshed for "
                                + failing.toMillis() + " ms, so others may have evicted it");
                    } else {
                        Log.LOGGER.log(Level.WARNING, "Could not refresh soft-rw marker " + h.marker
                                + "; trying again at the next heartbeat");
                    }
                }
                default -> throw new IllegalStateException(refresh.name());
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean tryRead() throws IOException {
        backend.ensureReadersDirectory(paths);
        try (Held s = state.tryTake().orElse(null)) {
            if (s == null) {
                return false;
            }
            evict(paths.write());
            if (RwMarkerFiles.observe(paths.write()).isPresent()) {
                return false; // a writer holds or claims it: wait behind it
            }
            String token = RwMarker.newToken();
            Path marker = paths.readers().resolve(UUID.randomUUID().toString().replace("-", "") + "."
                    + ProcessIdentity.PID);
            if (!RwMarkerFiles.create(marker, ownMarker(token), backend.settings().modeBits())) {
                return false;
            }
            granted(LockMode.SHARED, marker, token);
            return true;
        }
    }

    // Under the state lock.
    private boolean claimWriter(String token) throws IOException {
        evict(paths.write());
        return RwMarkerFiles.create(paths.write(), ownMarker(token), backend.settings().modeBits());
    }

    // Under the state lock: our claim is refreshed (or taken again if it was evicted), then stale readers go.
    private boolean readersDrained(String token) throws IOException {
        if (RwMarkerFiles.refreshIfOurs(paths.write(), token) != Refresh.OURS && !claimWriter(token)) {
            return false;
        }
        backend.ensureReadersDirectory(paths);
        boolean any = false;
        for (Path reader : backend.readers(paths)) {
            if (!evict(reader)) {
                any = true;
            }
        }
        return !any;
    }

    private boolean evict(Path marker) throws IOException {
        Optional<String> evicted = RwMarkerFiles.evictIfStale(marker, backend.staleThreshold(),
                Instant.now());
        evicted.ifPresent(who -> backend.evicted(marker, who));
        return evicted.isPresent();
    }

    private boolean removeWriterClaim(String token) throws IOException {
        // Under the state lock where it can be had, as Python does; the token and inode checks make it safe without.
        try (Held s = state.take(RELEASE_PATIENCE).orElse(null)) {
            return RwMarkerFiles.removeIfOurs(paths.write(), token);
        }
    }

    private boolean removeReader(Path marker, String token) throws IOException {
        // Under the state lock where it can be had (Python does without): an eviction runs under it and may put a
        // marker back that a heartbeat refreshed meanwhile, so a release between the move and the put-back would
        // leave the marker of a reader that is gone. Without the lock, the token check still guards the removal.
        try (Held s = state.take(RELEASE_PATIENCE).orElse(null)) {
            return RwMarkerFiles.removeReaderIfOurs(marker, token);
        }
    }

    private RwMarker ownMarker(String token) {
        return new RwMarker(token, ProcessIdentity.PID, ProcessIdentity.HOST);
    }

    // Guarded by lock.
    private void granted(LockMode mode, Path marker, String token) {
        Hold h = new Hold(mode, marker, token);
        hold = h;
        lost = false;
        h.beat = backend.startHeartbeat(this);
    }

    private void reportLost(Hold h, String why) {
        markLost(h, why);
        onLoss.run();
    }

    // On the heartbeat thread: isValid() turns false now, the loss actions run elsewhere, unless the holders have let
    // go by then (a later grant of this slot must not be reported lost).
    private void reportLostByBeat(Hold h, String why) {
        markLost(h, why);
        backend.reportLoss(() -> {
            if (stillHeld(h)) {
                onLoss.run();
            }
        });
    }

    private boolean stillHeld(Hold h) {
        lock.lock();
        try {
            return hold == h;
        } finally {
            lock.unlock();
        }
    }

    private void markLost(Hold h, String why) {
        lost = true;
        stopBeat(h);
        Log.LOGGER.log(Level.WARNING, "Soft-rw " + (h.mode == LockMode.SHARED ? "read" : "write") + " lock "
                + paths.lock() + " was lost: " + why + ". A holder must refresh within the stale threshold of "
                + backend.staleThreshold().toMillis() + " ms (a long pause, or a clock or network delay, lets others"
                + " evict it).");
    }

    private static void stopBeat(Hold h) {
        ScheduledFuture<?> beat = h.beat;
        if (beat != null) {
            beat.cancel(false);
        }
    }

    private interface Attempt {
        boolean run() throws IOException;
    }

    private boolean underState(Attempt attempt) throws IOException {
        try (Held s = state.tryTake().orElse(null)) {
            return s != null && attempt.run();
        }
    }

    // Polls until the attempt succeeds (true) or the wait is abandoned (false).
    private boolean poll(Attempt attempt) throws IOException {
        // Never longer than a heartbeat: a waiting writer's claim is refreshed only by these polls.
        long max = Math.max(1, Math.min(backend.pollInterval().toMillis(), backend.heartbeat().toMillis()));
        long pause = Math.min(FIRST_POLL_MS, max);
        while (!attempt.run()) {
            sleep(pause);
            // Checked after the pause, before the next try: an abandoned wait must not take a lock nobody waits for.
            if (abandoned) {
                abandoned = false;
                return false;
            }
            pause = Math.min(max, pause * 2);
        }
        return true;
    }

    // The engine's wait thread polls here and is never interrupted (abandon() stops it), but a release may run on a
    // holder's thread that was (interrupt-on-loss): pause anyway, so a busy state lock is not polled in a spin, and
    // keep the interrupt for the caller.
    static void sleep(long millis) {
        boolean interrupted = Thread.interrupted();
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "soft-rw slot(" + paths.lock() + ")";
    }
}
