package io.github.filelock.internal;

import io.github.filelock.LockType;
import io.github.filelock.MixedLockTypesException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The JVM-wide table of file lock spaces: one per real directory path and kind (kernel locks, or one soft type).
 *
 * <p>Why JVM-wide: a lock file must have exactly one slot per JVM. With fcntl locks (FILE_CHANNEL) closing any
 * second descriptor of a file drops the lock, and {@code FileChannel} throws {@code OverlappingFileLockException} when
 * a JVM locks one file twice. Spring's test context cache runs two application contexts, so two registries, on one
 * directory in one JVM. Keeping the per-key state here, keyed by the directory's real path, gives both registries the
 * same slots, the same fair queues and the same hold counts.
 *
 * <p>Kernel locks (flock or FileChannel) and each soft type keep separate spaces for one path, so an application can
 * lock some names with soft markers and others with flock in one directory. They never exclude each other: each name
 * must be locked with one type only (both use the file {@code <name>.lock}). Soft markers beside FileChannel locks
 * are refused on POSIX: the soft side's closes would drop the fcntl locks.
 */
public final class FileSpaces {

    private static final ConcurrentHashMap<Key, LockSpace> OPEN = new ConcurrentHashMap<>();

    // Held while a space is created, so that the SOFT / FILE_CHANNEL check sees every space created before it.
    private static final Object CREATING = new Object();

    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT)
            .startsWith("windows");

    /**
     * One space per directory and kind: the kernel locks (flock or FileChannel, which must agree), or one soft type
     * (each soft type has its own files and protocol, so each keeps its own space).
     */
    private record Key(Path path, String kind) {

        static final String KERNEL = "kernel";

        static Key of(Path path, LockType type) {
            return new Key(path, type == LockType.FLOCK || type == LockType.FILE_CHANNEL ? KERNEL : type.id());
        }
    }

    private static final LockSpace.Home HOME = new LockSpace.Home() {
        @Override
        public void update(LockSpace space, UnaryOperator<LockSpace> change) {
            OPEN.computeIfPresent(keyOf(space), (k, s) -> s == space ? change.apply(s) : s);
        }

        @Override
        public List<LockSpace> siblings(LockSpace space) {
            return othersOn(keyOf(space));
        }
    };

    private FileSpaces() {
    }

    /**
     * The shared space of {@code realPath} for the type {@code requested}, created on first use. Kernel-lock registries
     * on one directory must agree on the type: flock and fcntl locks do not exclude each other on Linux. Soft
     * registries have their own space beside them.
     *
     * @param requested SOFT, FLOCK or FILE_CHANNEL for exactly that; null (the platform's kernel lock) joins the
     *     kernel-lock space this JVM already uses here, never a soft one: a caller that asked for no type expects
     *     locks that flock(1) and Python's FileLock see. AUTO joins whatever this JVM already uses here, kernel locks
     *     first. Otherwise {@code backend} chooses (AUTO probes) and the space is keyed by its answer
     */
    public static LockSpace attach(Path realPath, LockType requested, Supplier<FileBackend> backend, int maxOpenFiles) {
        return attach(realPath, requested, backend, maxOpenFiles, LockSpace.DEFAULT_MAX_WAIT_THREADS);
    }

    /** As above; a space created here blocks at most {@code maxWaitThreads} threads in waits (the first one wins). */
    public static LockSpace attach(Path realPath, LockType requested, Supplier<FileBackend> backend, int maxOpenFiles,
            int maxWaitThreads) {
        if (requested != null && requested != LockType.AUTO) {
            return join(Key.of(realPath, requested), requested, backend, maxOpenFiles, maxWaitThreads);
        }
        // AUTO resolves to kernel locks or SOFT only, so those are the spaces it may join.
        List<Key> kinds = requested == null ? List.of(new Key(realPath, Key.KERNEL))
                : List.of(new Key(realPath, Key.KERNEL), Key.of(realPath, LockType.SOFT));
        for (Key kind : kinds) {
            LockSpace existing = OPEN.computeIfPresent(kind, (k, space) -> {
                space.registries++;
                return space;
            });
            if (existing != null) {
                return existing;
            }
        }
        FileBackend chosen = backend.get();
        boolean[] used = {false};
        try {
            return join(Key.of(realPath, typeOf(chosen)), null, () -> {
                used[0] = true;
                return chosen;
            }, maxOpenFiles, maxWaitThreads);
        } finally {
            if (!used[0]) {
                chosen.close(); // another build created the space first: this backend is never used
            }
        }
    }

    private static LockSpace join(Key key, LockType requested, Supplier<FileBackend> backend, int maxOpenFiles,
            int maxWaitThreads) {
        // One space is created at a time, so the check against the other kind's space and the creation are one
        // step: two racing builds of SOFT and FILE_CHANNEL cannot both pass it. (Detaching only removes spaces.)
        synchronized (CREATING) {
            return OPEN.compute(key, (k, existing) -> {
                LockSpace space = existing;
                if (space == null) {
                    FileBackend chosen = backend.get();
                    try {
                        refuseSoftBesideFcntl(k, typeOf(chosen));
                    } catch (RuntimeException e) {
                        chosen.close(); // refused: it holds nothing, and gives up what it claimed (SoftCopies)
                        throw e;
                    }
                    space = new LockSpace(chosen, k.path(), maxOpenFiles, maxWaitThreads, HOME);
                    TestHooks.reach("FileSpaces.create", space.type()); // checked, not yet visible to others
                } else if (requested != null && requested != space.type()) {
                    throw new IllegalStateException("Lock directory " + k.path() + " is already used in this JVM with "
                            + space.type() + " locks; a second registry on it cannot use " + requested + ", because"
                            + " the two types of lock do not exclude each other. Use the same type.");
                }
                space.registries++;
                return space;
            });
        }
    }

    /**
     * On POSIX, a soft type and FILE_CHANNEL never share a directory in one JVM. FILE_CHANNEL locks are fcntl
     * record locks, which belong to the process: closing any descriptor of a file drops them all, and a soft
     * registry opens and closes every {@code *.lock} file it inspects ({@code scan()}, markers it judges). A filter
     * by "has the kernel space an entry for this file" would race with an entry created between the check and the
     * open, so the combination is refused outright. Windows' LockFileEx locks belong to their handle: allowed there.
     * Called with {@link #CREATING} held, for a space about to be created.
     */
    private static void refuseSoftBesideFcntl(Key key, LockType chosen) {
        if (WINDOWS || chosen == LockType.FLOCK) {
            return; // flock locks belong to their open file description: a soft registry's close cannot drop them
        }
        for (LockSpace other : othersOn(key)) {
            LockType inUse = other.type();
            if (chosen == LockType.FILE_CHANNEL && opensLockFiles(inUse)
                    || inUse == LockType.FILE_CHANNEL && opensLockFiles(chosen)) {
                throw mixed(key, inUse, chosen);
            }
        }
    }

    /**
     * Whether a soft type opens and closes {@code <name>.lock} files. SOFT_RW keeps its markers beside the lock
     * path ({@code .state}, {@code .write}, {@code readers/}) and never opens the path itself, so FILE_CHANNEL locks on
     * it are safe; any other soft type is assumed to, until it says otherwise.
     */
    private static boolean opensLockFiles(LockType type) {
        return type != LockType.FLOCK && type != LockType.FILE_CHANNEL && type != LockType.SOFT_RW;
    }

    private static MixedLockTypesException mixed(Key key, LockType inUse, LockType chosen) {
        return new MixedLockTypesException(key.path(), inUse, chosen, "Lock directory " + key.path() + " is already"
                + " used in this JVM with " + inUse + " locks; a registry with " + chosen + " locks cannot share it:"
                + " FILE_CHANNEL locks are fcntl record locks, and closing any descriptor of a lock file drops this"
                + " process's fcntl locks on it, which a SOFT registry does whenever it inspects a file (scan(), stale"
                + " markers). Other processes could then take locks this JVM still holds. Use FLOCK for the kernel"
                + " locks (flock locks are not dropped that way), or put the soft-locked names in another directory.");
    }

    private static LockType typeOf(FileBackend backend) {
        return LockType.of(backend.type());
    }

    private static Key keyOf(LockSpace space) {
        return Key.of(space.directory(), space.type());
    }

    // The spaces of the other kinds on the same directory.
    private static List<LockSpace> othersOn(Key key) {
        List<LockSpace> others = new ArrayList<>();
        OPEN.forEach((k, space) -> {
            if (k.path().equals(key.path()) && !k.kind().equals(key.kind())) {
                others.add(space);
            }
        });
        return others;
    }
}
