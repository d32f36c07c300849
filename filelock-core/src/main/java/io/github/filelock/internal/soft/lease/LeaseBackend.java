package io.github.filelock.internal.soft.lease;

import io.github.filelock.LockHolder;
import io.github.filelock.LockType;
import io.github.filelock.internal.FileBackend;
import io.github.filelock.internal.FileSettings;
import io.github.filelock.internal.Log;
import io.github.filelock.internal.ProcessIdentity;
import io.github.filelock.internal.posix.CPath;
import io.github.filelock.internal.soft.MarkerFiles;
import io.github.filelock.internal.soft.MarkerFiles.Observed;
import io.github.filelock.internal.soft.SoftPlatform;
import io.github.filelock.internal.soft.StartTokens;
import io.github.filelock.internal.soft.lease.LeaseFiles.Removal;
import io.github.filelock.spi.LockSlot;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code soft-lease} locks: protocol 2 markers ({@code filelock/2}, {@code mode=lease}) as Python filelock's
 * {@code SoftFileLease} writes them. A holder refreshes its marker's mtime every heartbeat; a contender breaks a marker
 * whose owner is provably dead, or whose mtime is older than the lease written in it. Every contender must use the
 * same lease ({@link io.github.filelock.LeaseSettingsMismatchException}). A lease trades exclusion for progress: a
 * holder that stalls past its lease loses the lock while it may still run, and learns it at its next heartbeat
 * ({@code FileLockHold.isValid()}). Linux only, like {@code soft}.
 */
public final class LeaseBackend extends FileBackend {

    // One daemon thread schedules the beats of every held lease marker of the JVM (a beat is a statx, a read and a
    // futimens); each beat runs on a thread of its own, so one that hangs (a stat on a hard-mounted NFS server that
    // went away) or a slow loss action keeps no other lease from being refreshed, or its loss from being found.
    private static final ScheduledThreadPoolExecutor HEARTBEATS = heartbeatExecutor();
    private static final ThreadPoolExecutor BEATS = beatExecutor();
    private static final SecureRandom TOKENS = new SecureRandom();

    private final Duration heartbeat;
    private final Duration lease;
    private final long maxPollMillis;
    private final LeaseJudge judge;
    private final LeaseBreaker breaker;
    private final Optional<BigInteger> start = StartTokens.of(ProcessIdentity.PID);
    private final AtomicLong brokenMarkers = new AtomicLong();

    /**
     * @throws UnsupportedOperationException naming the platform when lease markers are not supported here
     * @throws IllegalArgumentException when the heartbeat is not below the lease, or idle files should be deleted
     */
    public LeaseBackend(FileSettings settings, Duration heartbeat, Duration lease) {
        this(settings, heartbeat, lease, Duration.ofMillis(25));
    }

    /** As {@link #LeaseBackend(FileSettings, Duration, Duration)}, waits backing off to {@code pollInterval}. */
    public LeaseBackend(FileSettings settings, Duration heartbeat, Duration lease, Duration pollInterval) {
        super(settings);
        this.maxPollMillis = Math.max(1, pollInterval.toMillis());
        SoftPlatform.require("soft-lease", "statx(2) and /proc", settings,
                "they delete their marker on every release already");
        if (heartbeat.compareTo(lease) >= 0 || heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("The soft-lease heartbeat (" + heartbeat.toMillis() + " ms) must be"
                    + " positive and below the lease (" + lease.toMillis() + " ms), as Python's SoftFileLease"
                    + " requires; a third of the lease leaves room for two missed refreshes.");
        }
        this.heartbeat = heartbeat;
        this.lease = lease;
        this.judge = new LeaseJudge(lease);
        this.breaker = new LeaseBreaker(judge, brokenMarkers::incrementAndGet);
    }

    @Override
    public String type() {
        return LockType.SOFT_LEASE.id();
    }

    /** A marker names the process: a second slot's marker would be judged as the first one's. */
    @Override
    public boolean independentSlots() {
        return false;
    }

    /** The longest pause between a wait's tries ({@code filelock.soft.poll-interval}). */
    long maxPollMillis() {
        return maxPollMillis;
    }

    @Override
    public LockSlot openSlot(String key, Runnable onLoss) {
        return new LeaseSlot(this, fileOf(key), onLoss);
    }

    /** A marker at the path means held (or stale) by whoever it names; its thread is unknown to the protocol. */
    @Override
    public List<Elsewhere> inspectElsewhere(List<String> keys) throws IOException {
        List<Elsewhere> found = new ArrayList<>(keys.size());
        for (String key : keys) {
            Path file = fileOf(key);
            Observed seen = MarkerFiles.observe(file, CPath.of(file));
            found.add(new Elsewhere(seen != null, seen == null ? Optional.empty() : holder(key, seen),
                    Optional.empty()));
        }
        return found;
    }

    /**
     * Removes whatever marker is at {@code key}'s path, by identity and content, and returns who it named. The holder,
     * if it still runs, finds its hold lost at its next heartbeat.
     */
    @Override
    public Optional<LockHolder> breakLock(String key) throws IOException {
        Path file = fileOf(key);
        byte[] path = CPath.of(file);
        Observed seen = MarkerFiles.observe(file, path);
        if (seen == null) {
            return Optional.empty();
        }
        Removal removal = LeaseFiles.removeIf(file, path, moved -> LeaseBreaker.sameAsJudged(seen, moved));
        if (removal != Removal.REMOVED) {
            // refreshed or replaced meanwhile: the operator looks again rather than remove what they did not see
            throw new IOException("Lease marker " + file + " changed while it was being broken (its holder refreshed"
                    + " it, or another holder took the lock); nothing was removed. Look again and retry.");
        }
        brokenMarkers.incrementAndGet();
        Optional<LockHolder> holder = holder(key, seen);
        Log.LOGGER.log(Level.WARNING, "Broke lease marker " + file + " on an operator's request; it named "
                + holder.map(LockHolder::describe).orElse("no readable owner"));
        return holder.isPresent() ? holder : Optional.of(new LockHolder(-1, "unknown", Optional.empty(),
                Optional.of(key), seen.stat().since()));
    }

    private static Optional<LockHolder> holder(String key, Observed seen) {
        Optional<LeaseRecord> record = LeaseRecord.parse(seen.content());
        if (record.isPresent()) {
            return Optional.of(new LockHolder(record.get().pid(), record.get().host(), Optional.empty(),
                    Optional.of(key), seen.stat().since()));
        }
        return LeaseJudge.ProtocolOne.parse(new String(seen.content(), StandardCharsets.UTF_8))
                .map(o -> new LockHolder(o.pid(), o.host(), Optional.empty(), Optional.of(key), seen.stat().since()));
    }

    /** A marker does not name its lock. */
    @Override
    protected Optional<String> recordedName(Path file) {
        return Optional.empty();
    }

    /** Stale markers this JVM removed, and markers broken on an operator's request. */
    public long brokenMarkers() {
        return brokenMarkers.get();
    }

    public Duration heartbeat() {
        return heartbeat;
    }

    public Duration lease() {
        return lease;
    }

    LeaseBreaker breaker() {
        return breaker;
    }

    /** The record this process publishes for one acquisition. */
    LeaseRecord record(String token) {
        return new LeaseRecord(ProcessIdentity.PID, ProcessIdentity.HOST, LeaseRecord.LEASE, Optional.of(token),
                judge.seconds(), start);
    }

    /** A fresh claim token, 32 hex digits, as Python's {@code secrets.token_hex(16)}. */
    static String newToken() {
        byte[] bytes = new byte[16];
        TOKENS.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Beats {@code held} every heartbeat, one beat at a time: a beat still running skips the next. */
    ScheduledFuture<?> startHeartbeat(LeaseSlot held) {
        long period = heartbeat.toNanos();
        AtomicBoolean beating = new AtomicBoolean();
        return HEARTBEATS.scheduleAtFixedRate(() -> {
            if (beating.compareAndSet(false, true)) {
                BEATS.execute(() -> {
                    try {
                        held.beat();
                    } finally {
                        beating.set(false);
                    }
                });
            }
        }, period, period, TimeUnit.NANOSECONDS);
    }

    private static ThreadPoolExecutor beatExecutor() {
        // No queue and no bound: at most one beat per held lease runs, and idle threads end after a minute.
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "filelock-lease-beat");
            t.setDaemon(true);
            return t;
        });
    }

    private static ScheduledThreadPoolExecutor heartbeatExecutor() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "filelock-lease-heartbeat");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
