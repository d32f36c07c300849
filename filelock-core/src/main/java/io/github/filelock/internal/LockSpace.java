package io.github.filelock.internal;

import io.github.filelock.LockType;
import io.github.filelock.LockWaiter;
import io.github.filelock.spi.LockBackend;
import io.github.filelock.spi.LockSlot;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * All locks of one backend in this JVM: one {@link KeyEntry} per key, the waiting callers, the locks kept for their
 * minimum hold time, and the lost holds. Every registry on the backend shares it; for file backends one space exists
 * per real directory path and kind ({@link FileSpaces}), because a lock file must have exactly one slot per JVM.
 *
 * <p>Idle slots are kept open, up to {@code maxOpenFiles}, so the next acquire of a recent key skips opening one;
 * beyond that the least recently used are closed.
 */
public final class LockSpace {

    /** Default bound of the wait threads of one space: max(16, 4 x cores). */
    public static final int DEFAULT_MAX_WAIT_THREADS = Math.max(16, 4 * Runtime.getRuntime().availableProcessors());

    // Threads that block in LockSlot.lock, one per key and mode waited for, at most maxWaitThreads per space. Platform
    // threads: a native call pins a virtual thread. Daemon: a JVM with a pending wait exits.
    private static final Executor WAIT_POOL = DaemonThreads.cachedPool("filelock-wait-");

    // Waits beyond the bound: one platform thread tries them without blocking, backing off. Never virtual, like the
    // wait pool: a backend's tryLock may be a network round trip (a server backend).
    private static final ScheduledExecutorService POLLER = DaemonThreads.serial("filelock-poll");

    // Releases locks whose minimum hold time ends after their last close. Daemon: if the JVM ends first, the
    // backend releases the lock (the kernel, the server), which is what a release would have done.
    private static final ScheduledExecutorService RELEASE_SCHEDULER = DaemonThreads.serial("filelock-release");

    /** Where a space is kept, so that it can be forgotten once unused. */
    interface Home {
        /** Runs {@code change} on {@code space} atomically with other changes; a null result forgets the space. */
        void update(LockSpace space, UnaryOperator<LockSpace> change);

        /** Other spaces on the same location (soft markers beside flock locks in one directory). */
        List<LockSpace> siblings(LockSpace space);
    }

    private final LockBackend backend;
    private final LockType type;
    private final Path directory; // null for backends without files
    private final int maxOpenFiles;
    private final int maxWaitThreads;
    private final Semaphore waitThreads; // permits: wait threads this space may still start
    private final Home home;
    private final ConcurrentHashMap<String, KeyEntry> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Object, LockWaiter> waiters = new ConcurrentHashMap<>(); // by thread or async wait
    private final Set<PendingRelease> pendingReleases = ConcurrentHashMap.newKeySet();
    private final AtomicInteger openSlots = new AtomicInteger();
    private final AtomicLong uses = new AtomicLong(); // orders entries by last use, for eviction
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final AtomicLong lostHolds = new AtomicLong();
    volatile int registries; // changed only inside Home.update

    LockSpace(LockBackend backend, Path directory, int maxOpenFiles, int maxWaitThreads, Home home) {
        this.backend = backend;
        this.type = LockType.of(backend.type());
        this.directory = directory;
        this.maxOpenFiles = maxOpenFiles;
        this.maxWaitThreads = maxWaitThreads;
        this.waitThreads = new Semaphore(maxWaitThreads);
        this.home = home;
    }

    /** A space of its own for a backend that no other registry shares (built with {@code builder(LockBackend)}). */
    public static LockSpace standalone(LockBackend backend, int maxOpenFiles) {
        return standalone(backend, maxOpenFiles, DEFAULT_MAX_WAIT_THREADS);
    }

    /** As {@link #standalone(LockBackend, int)}, with at most {@code maxWaitThreads} threads blocked in waits. */
    public static LockSpace standalone(LockBackend backend, int maxOpenFiles, int maxWaitThreads) {
        LockSpace space = new LockSpace(backend, null, maxOpenFiles, maxWaitThreads, new Home() {
            private final ReentrantLock lock = new ReentrantLock(); // not a monitor: a change may close the backend
            private boolean forgotten; // the backend is closed: nothing may close it again

            @Override
            public void update(LockSpace s, UnaryOperator<LockSpace> change) {
                lock.lock();
                try {
                    if (!forgotten) {
                        forgotten = change.apply(s) == null;
                    }
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public List<LockSpace> siblings(LockSpace s) {
                return List.of();
            }
        });
        space.registries = 1;
        return space;
    }

    public LockBackend backend() {
        return backend;
    }

    /** The type in use: never AUTO. */
    public LockType type() {
        return type;
    }

    /** The lock directory, or null for a backend without files. */
    public Path directory() {
        return directory;
    }

    /** The lock file of {@code key}, or null for a backend without files. */
    Path fileOf(String key) {
        return directory == null ? null : directory.resolve(LockFileNames.fileName(key));
    }

    /** Holds found lost in this space (a soft marker broken after its lease, a lost server session). Monotonic. */
    public long lostHolds() {
        return lostHolds.get();
    }

    List<LockSpace> siblings() {
        return home.siblings(this);
    }

    /**
     * A registry is done with this space; the last one out closes the idle slots.
     *
     * <p>Holds may outlive their registry, so the space stays while any entry is still held or in use: a registry
     * built later on it must find the key's one slot, not open a second one (with fcntl locks, closing that second
     * descriptor would drop the held lock). The last such entry's release forgets the space.
     */
    public void detach() {
        home.update(this, s -> --s.registries > 0 ? s : s.closeIdleWhenUnused());
    }

    // Inside Home.update: null (forget this space) once nothing in it is in use.
    private LockSpace closeIdleWhenUnused() {
        if (registries > 0) {
            return this;
        }
        evictIdle(Integer.MAX_VALUE);
        if (!entries.isEmpty()) {
            return this;
        }
        backend.close();
        return null;
    }

    Executor waitPool() {
        return WAIT_POOL;
    }

    /** The most threads of this space blocked in {@link LockSlot#lock} at once; further waits are polled. */
    public int maxWaitThreads() {
        return maxWaitThreads;
    }

    /** Threads of this space blocked in a wait now (for tests and diagnostics). */
    public int waitThreadsInUse() {
        return maxWaitThreads - waitThreads.availablePermits();
    }

    /** Takes one of the space's wait threads, if one is free; give it back with {@link #waitThreadDone}. */
    boolean takeWaitThread() {
        return waitThreads.tryAcquire();
    }

    void waitThreadDone() {
        waitThreads.release();
    }

    /** Runs one poll of a wait beyond the bound in {@code delayNanos}, on the poll thread. */
    void pollLater(Runnable poll, long delayNanos) {
        POLLER.schedule(poll, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** The entry of a key, counted as in use until {@link #release}. */
    KeyEntry retain(String key) {
        while (true) {
            KeyEntry entry = entries.get(key); // the common case: no capturing lambda allocated per acquire
            if (entry == null) {
                entry = entries.computeIfAbsent(key, k -> new KeyEntry(this, k));
            }
            if (entry.retain()) {
                return entry;
            }
            entry.awaitClosed(); // evicted under our feet: once its slot is closed, make a fresh one
            entries.remove(key, entry);
        }
    }

    /** The entry of a key if this JVM has one, without creating it or counting it as used. */
    KeyEntry find(String key) {
        return entries.get(key);
    }

    void release(KeyEntry entry) {
        entry.lastUsed = uses.incrementAndGet();
        if (entry.releaseUse() == 0) {
            if (registries == 0) {
                // a hold that outlived every registry on this space has just been let go
                home.update(this, LockSpace::closeIdleWhenUnused);
            } else if (!entry.hasSlot() && entry.tryEvict()) {
                entries.remove(entry.key, entry);
            } else if (openSlots.get() > maxOpenFiles) {
                evictIdle(maxOpenFiles * 3 / 4);
            }
        }
    }

    LockSlot openSlot(String key, Runnable onLoss) throws IOException {
        LockSlot slot = backend.openSlot(key, onLoss);
        openSlots.incrementAndGet();
        return slot;
    }

    void slotClosed() {
        openSlots.decrementAndGet();
    }

    /** The backend found the lock of {@code entry} lost: its holders' holds are no longer valid. */
    void holdLost(KeyEntry entry) {
        lostHolds.incrementAndGet();
        List<LocalHolding> holdings = new ArrayList<>(entry.holders.values());
        List<String> threads = new ArrayList<>();
        for (LocalHolding holding : holdings) {
            threads.add(holding.threadName);
        }
        // Logged before the holds turn invalid: whoever sees isValid() false can already find the reason in the log.
        Log.LOGGER.log(Level.ERROR, "Lock '" + LockNames.abbreviate(entry.key) + "' (" + backend.locationOf(entry.key)
                + ") was LOST by this process" + (threads.isEmpty() ? "" : ", held by " + threads) + ": another process"
                + " may hold it now, so work done under it since then was not exclusive. FileLockHold.isValid() is"
                + " false for its holds.");
        for (LocalHolding holding : holdings) {
            holding.markLost();
        }
    }

    // Closes idle slots, least recently used first, until at most `target` stay open. One sweeper at a time; no
    // other monitor is held. Sorting costs n log n per sweep, and a sweep closes a quarter of maxOpenFiles.
    private void evictIdle(int target) {
        boolean closingAll = target == Integer.MAX_VALUE;
        while (!sweeping.compareAndSet(false, true)) {
            if (!closingAll) {
                return; // another thread is already sweeping
            }
            Thread.onSpinWait();
        }
        try {
            List<LastUse> oldestFirst = new ArrayList<>(entries.size());
            for (KeyEntry entry : entries.values()) {
                oldestFirst.add(new LastUse(entry.lastUsed, entry)); // a snapshot: uses go on while we sort
            }
            if (!closingAll) {
                oldestFirst.sort(Comparator.comparingLong(LastUse::at));
            }
            for (LastUse use : oldestFirst) {
                KeyEntry entry = use.entry();
                if (!closingAll && openSlots.get() <= target) {
                    break;
                }
                if (entry.tryEvict()) {
                    entries.remove(entry.key, entry);
                }
            }
        } finally {
            sweeping.set(false);
        }
    }

    private record LastUse(long at, KeyEntry entry) {
    }

    Iterable<KeyEntry> entries() {
        return entries.values();
    }

    /** Runs {@code pending} in {@code delayNanos}; until then it is listed by {@link #pendingReleases()}. */
    void releaseLater(PendingRelease pending, long delayNanos) {
        pendingReleases.add(pending);
        RELEASE_SCHEDULER.schedule(() -> {
            pendingReleases.remove(pending);
            pending.run();
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Releases {@code pending} now rather than at the end of its minimum (a shutdown); the timer then does nothing. */
    void releaseNow(PendingRelease pending) {
        pendingReleases.remove(pending);
        pending.run();
    }

    /** Locks kept past their last close until their minimum hold time is over (enumerable for a shutdown). */
    List<PendingRelease> pendingReleases() {
        return List.copyOf(pendingReleases);
    }

    void waiting(Object key, LockWaiter waiter) {
        waiters.put(key, waiter);
    }

    void doneWaiting(Object key) {
        waiters.remove(key);
    }

    List<LockWaiter> waiters() {
        return List.copyOf(waiters.values());
    }
}
