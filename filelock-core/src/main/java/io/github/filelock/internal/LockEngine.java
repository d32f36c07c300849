package io.github.filelock.internal;

import io.github.filelock.FileLockException;
import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockInterruptedException;
import io.github.filelock.FileLockTimeoutException;
import io.github.filelock.LocalHold;
import io.github.filelock.LockHolder;
import io.github.filelock.LockMode;
import io.github.filelock.LockState;
import io.github.filelock.LockStatus;
import io.github.filelock.LockWaiter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Acquire, release and inspect named locks in one {@link LockDirectory}. */
public final class LockEngine {

    private static final System.Logger LOG = LockDirectory.LOG;

    private final LockDirectory directory;

    public LockEngine(LockDirectory directory) {
        this.directory = directory;
    }

    public LockDirectory directory() {
        return directory;
    }

    public Path lockFile(String name) {
        return directory.path.resolve(LockFileNames.fileName(name));
    }

    /**
     * Takes one hold of {@code name}: owned by the calling thread and reentrant, or {@code detached}: owned
     * by the returned hold, closable from any thread and not reentrant (for async work).
     *
     * @param timeoutNanos 0 for one attempt, negative to wait forever
     * @return the hold, or {@code null} when the lock was not free in time
     */
    public FileLockHold tryAcquire(String name, LockMode mode, long timeoutNanos, boolean interruptible,
            boolean detached) {
        long start = System.nanoTime();
        Thread thread = Thread.currentThread();
        LockFileEntry entry = directory.retain(LockFileNames.fileName(name));
        boolean waiting = false;
        boolean success = false;
        try {
            if (!detached) {
                Holding mine = entry.holders.get(thread);
                if (mine != null) {
                    refuseUpgrade(name, mine, mode, thread);
                    mine.increment();
                    success = true;
                    return new EntryHold(this, entry, mine, thread);
                }
            }
            boolean forever = timeoutNanos < 0;
            long deadline = start + Math.max(0, timeoutNanos);
            int permits = LockFileEntry.permits(mode);
            if (!entry.gate.tryEnter(permits)) {
                if (timeoutNanos == 0) {
                    return null;
                }
                waiting = startWaiting(thread, name, mode, thread.getName());
                if (!enterGate(entry, permits, deadline, forever, interruptible)) {
                    return null;
                }
            }
            boolean locked = false;
            try {
                locked = entry.tryLockOs(mode);
                if (!locked && timeoutNanos != 0 && (forever || deadline - System.nanoTime() > 0)) {
                    waiting = waiting || startWaiting(thread, name, mode, thread.getName());
                    locked = entry.awaitOs(mode, deadline, forever, interruptible);
                }
                if (!locked) {
                    entry.gate.release(permits);
                    return null;
                }
                FileLockHold hold = grant(entry, name, mode, thread.getName(), detached ? null : thread);
                success = true;
                return hold;
            } catch (IOException | InterruptedException | RuntimeException | Error e) {
                if (locked) {
                    entry.releaseClaim(); // whatever failed after the OS granted the lock must not keep it
                }
                entry.gate.release(permits);
                throw e;
            }
        } catch (InterruptedException e) {
            thread.interrupt();
            throw new FileLockInterruptedException(name, e);
        } catch (IOException e) {
            throw new FileLockException("Cannot lock '" + LockNames.abbreviate(name) + "': " + e.getMessage(), e);
        } finally {
            if (waiting) {
                directory.doneWaiting(thread);
            }
            if (!success) {
                directory.release(entry);
            }
        }
    }

    /** As {@link #tryAcquire}, throwing {@link FileLockTimeoutException} instead of returning null. */
    public FileLockHold acquire(String name, LockMode mode, long timeoutNanos, boolean interruptible, boolean detached) {
        long start = System.nanoTime();
        FileLockHold hold = tryAcquire(name, mode, timeoutNanos, interruptible, detached);
        if (hold != null) {
            return hold;
        }
        FileLockTimeoutException timeout = timeoutException(name, Duration.ofNanos(System.nanoTime() - start));
        LOG.log(Level.DEBUG, "Lock ''{0}'' not acquired: {1}", LockNames.abbreviate(name), timeout.getMessage());
        throw timeout;
    }

    private static void refuseUpgrade(String name, Holding mine, LockMode requested, Thread thread) {
        if (mine.mode == LockMode.SHARED && requested == LockMode.EXCLUSIVE) {
            throw new IllegalStateException("Thread " + thread.getName() + " holds lock '" + LockNames.abbreviate(name)
                    + "' SHARED and asks for it EXCLUSIVE: upgrading is not supported, because two readers"
                    + " upgrading at once would wait for each other forever. Release the shared hold first,"
                    + " or take the lock EXCLUSIVE from the start.");
        }
    }

    // Queues in the gate and blocks on the ticket; a ticket given up never disturbs the callers behind it.
    private static boolean enterGate(LockFileEntry entry, int permits, long deadline, boolean forever,
            boolean interruptible) throws InterruptedException {
        Gate.Ticket ticket = entry.gate.enqueue(permits);
        try {
            Waits.await(ticket.granted, deadline, forever, interruptible);
            return true;
        } catch (TimeoutException e) {
            return entry.gate.abandon(ticket); // granted meanwhile: keep it
        } catch (InterruptedException e) {
            if (entry.gate.abandon(ticket)) {
                entry.gate.release(permits);
            }
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException("A gate ticket is never completed exceptionally", e);
        }
    }

    /**
     * Hands out the hold of a caller that has just got the OS lock: records the holder and registers the hold.
     * On an exception the caller still owns the claim and the gate permits, and must let them go.
     *
     * @param owner the owning thread, or null for a detached hold
     */
    FileLockHold grant(LockFileEntry entry, String name, LockMode mode, String threadName, Thread owner) {
        TestHooks.reach("LockEngine.osLocked", entry.file);
        Holding holding = new Holding(name, mode, threadName, Instant.ofEpochMilli(System.currentTimeMillis()));
        recordHolder(entry, holding);
        FileLockHold hold = owner == null ? new DetachedHold(this, entry, holding)
                : new EntryHold(this, entry, holding, owner);
        entry.holders.put(owner == null ? hold : owner, holding);
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "Lock ''{0}'' acquired {1} by thread {2}", LockNames.abbreviate(name), mode,
                    threadName);
        }
        return hold;
    }

    private static void recordHolder(LockFileEntry entry, Holding holding) {
        if (holding.mode != LockMode.EXCLUSIVE) {
            return;
        }
        RecordComposer record = RecordComposer.forCurrentThread().compose(holding.threadName, holding.lockName,
                holding.since);
        entry.writeRecord(record.bytes(), record.length());
    }

    /** Lists a waiting caller (a thread, or an async acquisition) until {@link LockDirectory#doneWaiting}. */
    boolean startWaiting(Object waiter, String name, LockMode mode, String threadName) {
        directory.waiting(waiter, new LockWaiter(name, threadName, mode, Instant.now()));
        return true;
    }

    /** Releases one hold of a thread-owned lock; only the owner may. */
    void release(LockFileEntry entry, Holding holding, Thread owner) {
        release(entry, holding, owner, Duration.ZERO);
    }

    /** As {@link #release(LockFileEntry, Holding, Thread)}; the lock is kept until {@code holdAtLeast} is over. */
    void release(LockFileEntry entry, Holding holding, Thread owner, Duration holdAtLeast) {
        if (Thread.currentThread() != owner) {
            throw new IllegalMonitorStateException("Lock '" + LockNames.abbreviate(holding.lockName)
                    + "' is held by thread " + owner.getName() + ", not by " + Thread.currentThread().getName()
                    + ": only the thread that acquired a lock can release it");
        }
        if (!isLive(entry, holding, owner)) {
            // The thread's holds were already released (through the Lock view): a stale hold must not release
            // a newer one, as ReentrantLock.unlock refuses an unlock it does not own.
            throw new IllegalMonitorStateException("Lock '" + LockNames.abbreviate(holding.lockName)
                    + "': this hold is no longer held by thread " + owner.getName() + ", because its holds were"
                    + " already released (for example through obtain(name).unlock()). Release each hold once,"
                    + " through one API.");
        }
        holding.holdAtLeast(holdAtLeast);
        if (holding.decrement() > 0) {
            directory.release(entry);
            return;
        }
        leaveOnTime(entry, holding, owner);
    }

    /** Whether {@code holding} is still the owner's current holding of {@code entry}, with holds left. */
    static boolean isLive(LockFileEntry entry, Holding holding, Object owner) {
        return holding.count() > 0 && entry.holders.get(owner) == holding;
    }

    /** Releases a detached hold, from any thread, keeping the lock until {@code holdAtLeast} is over. */
    void releaseDetached(LockFileEntry entry, Holding holding, Object hold, Duration holdAtLeast) {
        holding.holdAtLeast(holdAtLeast);
        leaveOnTime(entry, holding, hold);
    }

    /**
     * The last hold of {@code holding} is closed: leave now, or, while its minimum hold time is not over, hand
     * the holding to the directory's pending releases, which leave at the end of the minimum. The holding is
     * listed under the pending release before it leaves its owner's key, so it is never invisible.
     */
    private void leaveOnTime(LockFileEntry entry, Holding holding, Object key) {
        long left = holding.minimumLeftNanos();
        if (left > 0) {
            PendingRelease pending = new PendingRelease(entry, holding, () -> leave(entry, holding));
            entry.holders.put(pending, holding);
            entry.holders.remove(key);
            directory.releaseLater(pending, left);
            return;
        }
        entry.holders.remove(key);
        leave(entry, holding);
    }

    private void leave(LockFileEntry entry, Holding holding) {
        try {
            entry.releaseClaim();
            if (LOG.isLoggable(Level.DEBUG)) {
                LOG.log(Level.DEBUG, "Lock ''{0}'' released by thread {1}", LockNames.abbreviate(holding.lockName),
                        Thread.currentThread().getName());
            }
        } finally {
            entry.gate.release(LockFileEntry.permits(holding.mode));
            directory.release(entry);
        }
    }

    /**
     * Releases one hold of {@code name} by the current thread (for the {@code Lock} views). {@code taken} is the mode
     * of the view: a thread that holds the lock only SHARED holds no write lock to unlock.
     */
    public void releaseOne(String name, LockMode taken) {
        LockFileEntry entry = directory.find(LockFileNames.fileName(name));
        Holding mine = entry == null ? null : entry.holders.get(Thread.currentThread());
        if (mine == null) {
            throw new IllegalMonitorStateException("Lock '" + LockNames.abbreviate(name) + "' is not held by thread "
                    + Thread.currentThread().getName());
        }
        if (taken == LockMode.EXCLUSIVE && mine.mode == LockMode.SHARED) {
            throw new IllegalMonitorStateException("Lock '" + LockNames.abbreviate(name) + "' is held SHARED by thread "
                    + Thread.currentThread().getName() + ": unlock its read lock, it holds no write lock");
        }
        release(entry, mine, Thread.currentThread());
    }

    public int holdCount(String name) {
        LockFileEntry entry = directory.find(LockFileNames.fileName(name));
        Holding mine = entry == null ? null : entry.holders.get(Thread.currentThread());
        return mine == null ? 0 : mine.count();
    }

    // ---- inspection: never takes or drops the lock --------------------------------------------------------

    public LockStatus inspect(String name) {
        return inspectFile(LockFileNames.fileName(name), name, null);
    }

    /** Every lock file in the directory with what is known of its holder. */
    public List<LockStatus> scan() {
        List<LockStatus> statuses = new ArrayList<>();
        KernelLocks kernel = KernelLocks.available() ? KernelLocks.read() : null; // once, not once per file
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory.path, "*" + LockFileNames.SUFFIX)) {
            for (Path file : files) {
                String fileName = file.getFileName().toString();
                if (directory.provider().lockIsFileExistence() && directory.kernelLockFile(fileName) != null) {
                    continue; // a lock file of this JVM's flock registry on the directory, which reports it
                }
                statuses.add(inspectFile(fileName, null, kernel));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list lock directory " + directory.path, e);
        }
        return statuses;
    }

    // `kernel`: the lock table read for a whole scan, or null to read it for this file
    private LockStatus inspectFile(String fileName, String knownName, KernelLocks kernel) {
        Path file = directory.path.resolve(fileName);
        LockFileEntry existing = directory.find(fileName);
        Holding local = existing == null ? null : firstHolding(existing);
        if (local == null && directory.provider().lockIsFileExistence()) {
            LockFileEntry kernelFile = directory.kernelLockFile(fileName); // held by this JVM's flock registry?
            local = kernelFile == null ? null : firstHolding(kernelFile);
        }
        if (local != null) {
            LockHolder holder = new LockHolder(ProcessIdentity.PID, ProcessIdentity.HOST,
                    Optional.of(local.threadName), Optional.of(local.lockName), local.since);
            return new LockStatus(local.lockName, file, LockState.HELD_BY_THIS_PROCESS, Optional.of(holder),
                    Optional.of(ProcessIdentity.PID));
        }
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return new LockStatus(knownName != null ? knownName : plainName(fileName), file, LockState.FREE,
                    Optional.empty(), Optional.empty());
        }
        if (directory.provider().lockIsFileExistence()) {
            return inspectMarker(file, knownName != null ? knownName : plainName(fileName));
        }
        LockFileEntry entry = directory.retain(fileName);
        try {
            boolean kernelKnows = KernelLocks.available();
            OptionalLong kernelPid = !kernelKnows ? OptionalLong.empty()
                    : (kernel != null ? kernel : KernelLocks.read()).holderOf(file);
            boolean held = kernelKnows ? kernelPid.isPresent() && kernelPid.getAsLong() != ProcessIdentity.PID
                    : entry.probeHeldElsewhere();
            Optional<LockHolder> record = HolderRecord.parse(entry.readContent());
            if (held && kernelPid.isPresent() && kernelPid.getAsLong() > 0
                    && record.map(r -> r.pid() != kernelPid.getAsLong()).orElse(false)) {
                record = Optional.empty(); // the record is a previous holder's; the current one wrote none
            }
            String name = knownName != null ? knownName : record.flatMap(LockHolder::name).orElse(plainName(fileName));
            return new LockStatus(name, file, held ? LockState.HELD_BY_OTHER_PROCESS : LockState.FREE,
                    held ? record : Optional.empty(), held ? boxed(kernelPid) : Optional.empty());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot inspect lock file " + file, e);
        } finally {
            directory.release(entry);
        }
    }

    // A soft marker: its existence is the lock, so it is held (or stale) by whoever it names.
    private LockStatus inspectMarker(Path file, String name) {
        try {
            Optional<LockHolder> holder = directory.provider().markerHolder(file, name);
            return new LockStatus(name, file, LockState.HELD_BY_OTHER_PROCESS, holder, Optional.empty());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot inspect soft lock marker " + file, e);
        }
    }

    private static Optional<Long> boxed(OptionalLong pid) {
        return pid.isPresent() ? Optional.of(pid.getAsLong()) : Optional.empty();
    }

    private static Holding firstHolding(LockFileEntry entry) {
        for (Holding holding : entry.holders.values()) {
            return holding;
        }
        return null;
    }

    private static String plainName(String fileName) {
        return fileName.substring(0, fileName.length() - LockFileNames.SUFFIX.length());
    }

    public List<LocalHold> heldLocks() {
        List<LocalHold> held = new ArrayList<>();
        for (LockFileEntry entry : directory.entries()) {
            for (Map.Entry<Object, Holding> e : entry.holders.entrySet()) {
                Holding h = e.getValue();
                held.add(new LocalHold(h.lockName, entry.file, h.mode, h.threadName, h.count(), h.since));
            }
        }
        return held;
    }

    public List<LockWaiter> waiters() {
        return directory.waiters();
    }

    /** Locks whose last hold is closed but that are kept until their minimum hold time is over. */
    public List<LocalHold> pendingReleases() {
        List<LocalHold> pending = new ArrayList<>();
        for (PendingRelease release : directory.pendingReleases()) {
            Holding h = release.holding;
            pending.add(new LocalHold(h.lockName, release.entry.file, h.mode, h.threadName, 0, h.since));
        }
        return pending;
    }

    FileLockTimeoutException timeoutException(String name, Duration waited) {
        TestHooks.reach("LockEngine.timeoutException", name); // costly (inspect, stack trace): tests count these
        Path file = lockFile(name);
        Optional<LockHolder> holder = Optional.empty();
        Optional<Long> kernelPid = Optional.empty();
        try {
            LockStatus status = inspect(name);
            holder = status.holder();
            kernelPid = status.kernelPid();
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "Could not read the holder of " + file, e);
        }
        return new FileLockTimeoutException(name, file, waited, holder, kernelPid);
    }
}
