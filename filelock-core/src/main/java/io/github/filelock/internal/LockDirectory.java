package io.github.filelock.internal;

import io.github.filelock.LockMechanism;
import io.github.filelock.LockWaiter;
import io.github.filelock.MixedLockMechanismsException;
import io.github.filelock.internal.os.OsLockProvider;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The state of one lock directory, shared by every registry on it in this JVM.
 *
 * <p>Why JVM-wide: a lock file must have exactly one OS handle per JVM. With fcntl-style locks (the
 * FileChannel mechanism) closing any second descriptor of a file drops the lock, and {@code FileChannel}
 * throws {@code OverlappingFileLockException} when a JVM locks one file twice. Spring's test context cache
 * runs two application contexts, so two registries, on one directory in one JVM. Keeping the per-file state
 * here, keyed by the directory's real path, gives both registries the same handles, the same fair queues
 * and the same hold counts.
 *
 * <p>Kernel locks (flock or FileChannel) and soft markers keep separate state for one path, so an application
 * can lock some names with soft markers and others with flock in one directory. They never exclude each other:
 * each name must be locked with one kind only (both kinds use the file {@code <name>.lock}). Soft markers beside
 * FileChannel locks are refused on POSIX: the soft side's closes would drop the fcntl locks.
 */
public final class LockDirectory {

    static final System.Logger LOG = System.getLogger("io.github.filelock");

    // Keyed by real path and kind (soft or kernel): two kinds of lock on one directory keep separate state.
    private static final ConcurrentHashMap<Key, LockDirectory> OPEN = new ConcurrentHashMap<>();

    private record Key(Path path, boolean soft) {
    }

    // Held while a state is created, so that the SOFT / FILE_CHANNEL check sees every state created before it.
    private static final Object CREATING = new Object();

    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT)
            .startsWith("windows");

    // Threads that block in the kernel for a lock. Daemon, so a JVM with a pending wait can still exit.
    private static final Executor WAIT_EXECUTOR = DaemonThreads.cachedPool("filelock-wait-");

    // Releases locks whose minimum hold time ends after their last close. Daemon: if the JVM ends first, the
    // kernel releases the lock, which is what a release would have done.
    private static final ScheduledExecutorService RELEASE_SCHEDULER = DaemonThreads.serial("filelock-release");

    final Path path;
    private final Key key;
    private final OsLockProvider provider;
    private final Set<PosixFilePermission> filePermissions;
    private final int maxOpenFiles;
    private final boolean deleteIdleFiles;
    private final ConcurrentHashMap<String, LockFileEntry> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Object, LockWaiter> waiters = new ConcurrentHashMap<>(); // by thread or async wait
    private final Set<PendingRelease> pendingReleases = ConcurrentHashMap.newKeySet();
    private final AtomicInteger openFiles = new AtomicInteger();
    private final AtomicLong uses = new AtomicLong(); // orders entries by last use, for eviction
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private volatile int registries; // written only inside OPEN's per-key compute

    private LockDirectory(Path path, OsLockProvider provider, Set<PosixFilePermission> filePermissions,
            int maxOpenFiles, boolean deleteIdleFiles) {
        this.path = path;
        this.key = new Key(path, isSoft(provider.mechanism()));
        this.provider = provider;
        this.filePermissions = Set.copyOf(filePermissions);
        this.maxOpenFiles = maxOpenFiles;
        this.deleteIdleFiles = deleteIdleFiles;
    }

    /**
     * The shared state of {@code realPath} for the kind of lock {@code requested}, created on first use.
     * Kernel-lock registries on one directory must agree on the mechanism: flock and fcntl locks do not exclude
     * each other on Linux. Soft registries have their own state beside them.
     *
     * @param requested SOFT or FLOCK or FILE_CHANNEL for exactly that; null (the platform's kernel lock) joins the
     *     kernel-lock state this JVM already uses here, never a soft one: a caller that asked for no mechanism expects
     *     locks that flock(1) and Python's FileLock see. AUTO joins whatever this JVM already uses here, kernel locks
     *     first. Otherwise {@code provider} chooses (AUTO probes) and the state is keyed by its answer
     */
    public static LockDirectory attach(Path realPath, LockMechanism requested, Supplier<OsLockProvider> provider,
            Set<PosixFilePermission> filePermissions, int maxOpenFiles, boolean deleteIdleFiles) {
        if (requested != null && requested != LockMechanism.AUTO) {
            return join(new Key(realPath, isSoft(requested)), requested, provider, filePermissions, maxOpenFiles,
                    deleteIdleFiles);
        }
        boolean[] kinds = requested == null ? new boolean[] {false} : new boolean[] {false, true};
        for (boolean soft : kinds) {
            LockDirectory existing = OPEN.computeIfPresent(new Key(realPath, soft), (k, dir) -> {
                dir.registries++;
                return dir;
            });
            if (existing != null) {
                return existing;
            }
        }
        OsLockProvider chosen = provider.get();
        return join(new Key(realPath, isSoft(chosen.mechanism())), null, () -> chosen, filePermissions,
                maxOpenFiles, deleteIdleFiles);
    }

    private static LockDirectory join(Key key, LockMechanism requested, Supplier<OsLockProvider> provider,
            Set<PosixFilePermission> filePermissions, int maxOpenFiles, boolean deleteIdleFiles) {
        // One state is created at a time, so the check against the other kind's state and the creation are one
        // step: two racing builds of SOFT and FILE_CHANNEL cannot both pass it. (Detaching only removes states.)
        synchronized (CREATING) {
            return OPEN.compute(key, (k, existing) -> {
                LockDirectory dir = existing;
                if (dir == null) {
                    OsLockProvider chosen = provider.get();
                    refuseSoftBesideFcntl(k, chosen.mechanism());
                    if (deleteIdleFiles && !chosen.detectsDeletedFiles()) {
                        throw new IllegalStateException("deleteIdleLockFiles cannot be used with " + chosen.mechanism()
                                + " locks here: either they delete their files themselves (SOFT) or this platform"
                                + " cannot tell that a lock file was deleted under a holder. Keep lock files (the"
                                + " default).");
                    }
                    dir = new LockDirectory(k.path(), chosen, filePermissions, maxOpenFiles, deleteIdleFiles);
                    TestHooks.reach("LockDirectory.create", chosen.mechanism()); // checked, not yet visible to others
                } else if (requested != null && requested != dir.provider.mechanism()) {
                    throw new IllegalStateException("Lock directory " + k.path() + " is already used in this JVM with "
                            + dir.provider.mechanism() + " locks; a second registry on it cannot use " + requested
                            + ", because the two kinds of lock do not exclude each other. Use the same mechanism.");
                }
                dir.registries++;
                return dir;
            });
        }
    }

    /**
     * On POSIX, SOFT and FILE_CHANNEL never share a directory in one JVM. FILE_CHANNEL locks are fcntl record locks,
     * which belong to the process: closing any descriptor of a file drops them all, and a soft registry opens and
     * closes every {@code *.lock} file it inspects ({@code scan()}, markers it judges). A filter by "has the kernel
     * state an entry for this file" would race with an entry created between the check and the open, so the
     * combination is refused outright. Windows' LockFileEx locks belong to their handle: allowed there. Called with
     * {@link #CREATING} held, for a state about to be created.
     */
    private static void refuseSoftBesideFcntl(Key key, LockMechanism chosen) {
        if (WINDOWS || (chosen != LockMechanism.SOFT && chosen != LockMechanism.FILE_CHANNEL)) {
            return;
        }
        LockDirectory other = OPEN.get(new Key(key.path(), !key.soft()));
        if (other == null) {
            return;
        }
        LockMechanism inUse = other.provider.mechanism();
        if (inUse != LockMechanism.SOFT && inUse != LockMechanism.FILE_CHANNEL) {
            return; // flock locks belong to their open file description: a soft registry's close cannot drop them
        }
        throw new MixedLockMechanismsException(key.path(), inUse, chosen, "Lock directory " + key.path()
                + " is already used in this JVM with " + inUse + " locks; a registry with " + chosen + " locks cannot"
                + " share it: FILE_CHANNEL locks are fcntl record locks, and closing any descriptor of a lock file"
                + " drops this process's fcntl locks on it, which a SOFT registry does whenever it inspects a file"
                + " (scan(), stale markers). Other processes could then take locks this JVM still holds. Use FLOCK"
                + " for the kernel locks (flock locks are not dropped that way), or put the soft-locked names in"
                + " another directory.");
    }

    private static boolean isSoft(LockMechanism mechanism) {
        return mechanism == LockMechanism.SOFT;
    }

    /**
     * A registry is done with this directory; the last one out closes the idle handles.
     *
     * <p>Holds may outlive their registry, so the state stays here while any entry is still held or in
     * use: a registry built later on this directory must find the file's one OS handle, not open a second
     * one (with fcntl locks, closing that second descriptor would drop the held lock, and FileChannel would
     * throw OverlappingFileLockException). The last such entry's release forgets the state.
     */
    public void detach() {
        OPEN.computeIfPresent(key, (k, dir) -> {
            if (--dir.registries > 0) {
                return dir;
            }
            return dir.closeIdleWhenUnused();
        });
    }

    // Inside OPEN's compute for this path: null (forget this state) once nothing in it is in use.
    private LockDirectory closeIdleWhenUnused() {
        if (registries > 0) {
            return this;
        }
        evictIdle(Integer.MAX_VALUE);
        return entries.isEmpty() ? null : this;
    }

    public Path path() {
        return path;
    }

    public LockMechanism mechanism() {
        return provider.mechanism();
    }

    /** Holds this JVM found lost in this directory (soft locks only: a marker broken after its lease). */
    public long lostHolds() {
        return provider.lostHolds();
    }

    OsLockProvider provider() {
        return provider;
    }

    Set<PosixFilePermission> filePermissions() {
        return filePermissions;
    }

    Executor waitExecutor() {
        return WAIT_EXECUTOR;
    }

    /** The entry of a lock file, counted as in use until {@link #release}. */
    LockFileEntry retain(String fileName) {
        while (true) {
            LockFileEntry entry = entries.computeIfAbsent(fileName, f -> new LockFileEntry(this, f));
            if (entry.retain()) {
                return entry;
            }
            entry.awaitClosed(); // evicted under our feet: once its descriptor is closed, make a fresh one
            entries.remove(fileName, entry);
        }
    }

    /**
     * For a soft state: the entry of {@code fileName} in this JVM's kernel-lock (flock) state on the same directory,
     * if it has one. Such a file is a kernel lock file, not a marker of another process.
     */
    LockFileEntry kernelLockFile(String fileName) {
        LockDirectory kernel = key.soft() ? OPEN.get(new Key(path, false)) : null;
        return kernel == null ? null : kernel.find(fileName);
    }

    /** The entry of a lock file if this JVM has one, without creating it or counting it as used. */
    LockFileEntry find(String fileName) {
        return entries.get(fileName);
    }

    void release(LockFileEntry entry) {
        entry.lastUsed = uses.incrementAndGet();
        if (entry.releaseUse() == 0) {
            if (registries == 0) {
                // a hold that outlived every registry on this directory has just been let go
                OPEN.computeIfPresent(key, (k, dir) -> dir == this ? closeIdleWhenUnused() : dir);
            } else if (!entry.hasHandle() && entry.tryEvict(false)) {
                entries.remove(entry.fileName, entry);
            } else if (openFiles.get() > maxOpenFiles) {
                evictIdle(maxOpenFiles * 3 / 4);
            }
        }
    }

    void handleOpened() {
        openFiles.incrementAndGet();
    }

    void handleClosed() {
        openFiles.decrementAndGet();
    }

    // Closes idle handles, least recently used first, until at most `target` stay open. One sweeper at a time; no
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
            for (LockFileEntry entry : entries.values()) {
                oldestFirst.add(new LastUse(entry.lastUsed, entry)); // a snapshot: uses go on while we sort
            }
            if (!closingAll) {
                oldestFirst.sort(Comparator.comparingLong(LastUse::at));
            }
            for (LastUse use : oldestFirst) {
                LockFileEntry entry = use.entry();
                if (!closingAll && openFiles.get() <= target) {
                    break;
                }
                if (entry.tryEvict(deleteIdleFiles)) {
                    entries.remove(entry.fileName, entry);
                }
            }
        } finally {
            sweeping.set(false);
        }
    }

    private record LastUse(long at, LockFileEntry entry) {
    }

    Iterable<LockFileEntry> entries() {
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
