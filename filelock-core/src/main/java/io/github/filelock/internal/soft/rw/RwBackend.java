package io.github.filelock.internal.soft.rw;

import io.github.filelock.LockHolder;
import io.github.filelock.LockType;
import io.github.filelock.internal.FileBackend;
import io.github.filelock.internal.FileSettings;
import io.github.filelock.internal.LockFileNames;
import io.github.filelock.internal.Log;
import io.github.filelock.internal.soft.MarkerFiles.Observed;
import io.github.filelock.internal.soft.SoftPlatform;
import io.github.filelock.spi.LockSlot;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Read/write soft locks, Python filelock's {@code SoftReadWriteLock} on disk: for a lock at {@code <name>.lock}, the
 * state lock {@code <name>.lock.state}, the writer marker {@code <name>.lock.write} and one reader marker per reader
 * under {@code <name>.lock.readers/}. SHARED takes a read lock, EXCLUSIVE a write lock (see {@link RwSlot}). Markers
 * are kept alive by a heartbeat and evicted by anyone, on any host, once not refreshed within the stale threshold.
 * Linux only, as the other soft types.
 */
public final class RwBackend extends FileBackend {

    private static final List<String> SIDE_FILES = List.of(RwPaths.STATE, RwPaths.WRITE, RwPaths.READERS);
    private static final String LOCK_SUFFIX = ".lock";

    // One daemon thread refreshes every held marker of the JVM.
    private static final ScheduledThreadPoolExecutor HEARTBEATS = heartbeatExecutor();

    private final Duration heartbeat;
    private final Duration staleThreshold;
    private final Duration pollInterval;
    private final AtomicLong evictions = new AtomicLong();

    /**
     * @param heartbeat how often a holder refreshes its marker
     * @param staleThreshold how long a marker may go unrefreshed before anyone evicts it; more than {@code heartbeat}
     * @param pollInterval the longest pause between a wait's tries
     * @throws UnsupportedOperationException naming the platform when soft markers are not supported here
     * @throws IllegalStateException when asked to delete idle files: markers are deleted on every release already
     * @throws IllegalArgumentException when the stale threshold does not exceed the heartbeat
     */
    public RwBackend(FileSettings settings, Duration heartbeat, Duration staleThreshold, Duration pollInterval) {
        super(settings);
        SoftPlatform.require("soft-rw", "statx(2) and /proc", settings,
                "they delete their markers on every release already");
        if (staleThreshold.compareTo(heartbeat) <= 0) {
            throw new IllegalArgumentException("The soft-rw stale threshold (" + staleThreshold.toMillis() + " ms)"
                    + " must exceed the heartbeat (" + heartbeat.toMillis() + " ms), or live holders get evicted.");
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("The soft poll interval must be positive, was " + pollInterval);
        }
        this.heartbeat = heartbeat;
        this.staleThreshold = staleThreshold;
        this.pollInterval = pollInterval;
    }

    @Override
    public String type() {
        return LockType.SOFT_RW.id();
    }

    /** One slot per key: a second one would only poll the same markers again. */
    @Override
    public boolean independentSlots() {
        return false;
    }

    @Override
    public LockSlot openSlot(String key, Runnable onLoss) {
        return new RwSlot(this, RwPaths.of(fileOf(key)), onLoss);
    }

    /** The writer if there is one, else the readers; the first of them is the holder shown. */
    @Override
    public List<Elsewhere> inspectElsewhere(List<String> keys) throws IOException {
        List<Elsewhere> found = new ArrayList<>(keys.size());
        for (String key : keys) {
            List<LockHolder> holders = holdersElsewhere(key);
            boolean held = !holders.isEmpty() || anyMarker(RwPaths.of(fileOf(key)));
            found.add(new Elsewhere(held, holders.stream().findFirst(), Optional.empty()));
        }
        return found;
    }

    /** The writer (holding, or claiming while readers drain) first, then every reader. */
    @Override
    public List<LockHolder> holdersElsewhere(String key) throws IOException {
        RwPaths paths = RwPaths.of(fileOf(key));
        List<LockHolder> holders = new ArrayList<>();
        holder(paths.write(), key).ifPresent(holders::add);
        for (Path reader : readers(paths)) {
            holder(reader, key).ifPresent(holders::add);
        }
        return holders;
    }

    /** The lock names whose state, writer marker or readers directory is in the directory (plain names only). */
    @Override
    public List<String> knownKeys() throws IOException {
        Set<String> keys = new LinkedHashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory(), "*" + LOCK_SUFFIX + "*")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                for (String side : SIDE_FILES) {
                    String lockFile = name.endsWith(side) ? name.substring(0, name.length() - side.length()) : "";
                    if (lockFile.endsWith(LOCK_SUFFIX)) {
                        String stem = lockFile.substring(0, lockFile.length() - LOCK_SUFFIX.length());
                        if (LockFileNames.fileName(stem).equals(lockFile)) {
                            keys.add(stem); // a hashed file name cannot be mapped back to its lock name
                        }
                    }
                }
            }
        }
        return List.copyOf(keys);
    }

    @Override
    protected Optional<String> recordedName(Path file) {
        return Optional.empty();
    }

    /** Nothing to break by hand: a dead holder's marker is evicted by the next contender after the threshold. */
    @Override
    public Optional<LockHolder> breakLock(String key) {
        throw new UnsupportedOperationException("'soft-rw' locks need no operator break: a marker that its holder"
                + " stopped refreshing (" + locationOf(key) + ".write or a file under " + locationOf(key) + ".readers/)"
                + " is evicted by the next contender once it is older than the stale threshold of "
                + staleThreshold.toMillis() + " ms, on any host.");
    }

    public Duration heartbeat() {
        return heartbeat;
    }

    public Duration staleThreshold() {
        return staleThreshold;
    }

    public Duration pollInterval() {
        return pollInterval;
    }

    /** Stale markers this JVM evicted. */
    public long evictions() {
        return evictions.get();
    }

    void evicted(Path marker, String who) {
        evictions.incrementAndGet();
        Log.LOGGER.log(Level.WARNING, "Evicted stale soft-rw marker " + marker + ": " + who);
    }

    /** Creates {@code readers/} if missing and refuses anything there but a real directory (a symlink, a file). */
    void ensureReadersDirectory(RwPaths paths) throws IOException {
        Path readers = paths.readers();
        try {
            Files.createDirectory(readers, PosixFilePermissions.asFileAttribute(directoryPermissions()));
        } catch (FileAlreadyExistsException e) {
            // made by an earlier holder, Java or Python
        }
        BasicFileAttributes seen = Files.readAttributes(readers, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!seen.isDirectory()) {
            throw new IOException(readers + " exists but is not a directory (or is a symbolic link); refusing to use"
                    + " it as the readers directory of a soft-rw lock. Remove it.");
        }
    }

    /** The reader markers now in {@code readers/}; empty when the directory does not exist yet. */
    List<Path> readers(RwPaths paths) throws IOException {
        List<Path> readers = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(paths.readers())) {
            for (Path entry : entries) {
                if (!RwPaths.housekeeping(entry.getFileName().toString())) {
                    readers.add(entry);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return readers;
    }

    ScheduledFuture<?> startHeartbeat(RwSlot held) {
        long period = heartbeat.toNanos();
        return HEARTBEATS.scheduleAtFixedRate(held::beat, period, period, TimeUnit.NANOSECONDS);
    }

    /**
     * Runs a beat's loss report on a thread of its own: the loss actions are user code, and neither the heartbeat
     * thread (which refreshes every other marker) nor another lock's slow report may hold it up. Losses are rare.
     */
    void reportLoss(Runnable onLoss) {
        Thread t = new Thread(onLoss, "filelock-soft-rw-loss");
        t.setDaemon(true);
        t.start();
    }

    private boolean anyMarker(RwPaths paths) throws IOException {
        return RwMarkerFiles.observe(paths.write()).isPresent() || !readers(paths).isEmpty();
    }

    private static Optional<LockHolder> holder(Path marker, String key) throws IOException {
        Optional<Observed> seen = RwMarkerFiles.observe(marker);
        return seen.flatMap(s -> RwMarker.parse(s.content()).map(m -> new LockHolder(m.pid(), m.host(),
                Optional.empty(), Optional.of(key), s.stat().since())));
    }

    // The files' permissions plus search (x) wherever reading is allowed: rw-r--r-- gives rwxr-xr-x.
    private Set<PosixFilePermission> directoryPermissions() {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        perms.addAll(settings.permissions());
        perms.add(PosixFilePermission.OWNER_EXECUTE);
        if (perms.contains(PosixFilePermission.GROUP_READ)) {
            perms.add(PosixFilePermission.GROUP_EXECUTE);
        }
        if (perms.contains(PosixFilePermission.OTHERS_READ)) {
            perms.add(PosixFilePermission.OTHERS_EXECUTE);
        }
        return perms;
    }

    private static ScheduledThreadPoolExecutor heartbeatExecutor() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "filelock-soft-rw-heartbeat");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
