package io.github.filelock.internal.soft;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The protocol-1 markers (lock and break markers) that this JVM has created and not yet removed, across all its soft
 * backends, known by file identity (device and inode), not by path: one directory can be reached by two paths that
 * no real-path resolution joins (a bind mount, one NFS export mounted twice). A marker that names this process and
 * is not among them was left by a removal that failed: its pid is alive (it is ours), so no other process may ever
 * break it, and this JVM must clear it itself ({@link #isOrphan}).
 *
 * <p>A creator calls {@link #creating} before its {@code O_EXCL} create and {@link #created} once it knows the new
 * file's identity, so a marker being created is never mistaken for an orphan. A holder calls {@link #removed} before
 * it closes its descriptor of the marker: while a descriptor is open the inode cannot be given to another file, so
 * no other marker of ours can carry that identity yet.
 *
 * <p>All markers of this JVM have the same content, and a freed inode is often given to the next file at once, so a
 * marker judged an orphan and one that a slot here created after that judgement can look identical. A breaker reads
 * the {@link #epoch} before it looks at a marker of ours, and moves it away only if the epoch has not changed since.
 */
public final class OwnMarkers {

    private static final Set<Identity> HELD = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger CREATING = new AtomicInteger();
    private static final AtomicLong EPOCH = new AtomicLong();

    private record Identity(long devMajor, long devMinor, long inode) {
        static Identity of(MarkerStat stat) {
            return new Identity(stat.devMajor(), stat.devMinor(), stat.inode());
        }
    }

    private OwnMarkers() {
    }

    /**
     * Before an {@code O_EXCL} create of a marker with this JVM's content; pair with {@link #created} or
     * {@link #notCreated}.
     */
    static void creating() {
        EPOCH.incrementAndGet(); // before the create, so a breaker that read the epoch earlier sees it
        CREATING.incrementAndGet();
    }

    /** The create succeeded, and this is the new marker. */
    static void created(MarkerStat marker) {
        HELD.add(Identity.of(marker));
        CREATING.decrementAndGet();
    }

    /** The create did not happen, or failed before the new file's identity was known. */
    static void notCreated() {
        CREATING.decrementAndGet();
    }

    /** The marker was removed, or its removal failed (then it is an orphan); call before closing its descriptor. */
    static void removed(MarkerStat marker) {
        HELD.remove(Identity.of(marker));
    }

    /**
     * Whether a marker naming this process, seen as {@code marker}, is nobody's here: no marker is being created in
     * this JVM, and none of its markers is this file.
     */
    static boolean isOrphan(MarkerStat marker) {
        return CREATING.get() == 0 && !HELD.contains(Identity.of(marker));
    }

    /** A number that changes whenever this JVM is about to create a marker anywhere: a reason to look again. */
    static long epoch() {
        return EPOCH.get();
    }
}
