package io.github.filelock.internal.soft;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The protocol-1 markers (lock and break markers) that this JVM has created and not yet removed, across all its soft
 * backends, known by file identity (device and inode), not by path: one directory can be reached by two paths that
 * no real-path resolution joins (a bind mount, one NFS export mounted twice). A marker that names this process and
 * is not among them was left by a removal that failed: its pid is alive (it is ours), so no other process may ever
 * break it, and this JVM must clear it itself ({@link #isOrphan}).
 *
 * <p>All markers of this JVM have the same content, and a freed inode is often given to the next file at once, so only
 * this JVM's own order of steps can tell a marker it holds from an orphan. A step lock per marker name orders them
 * ({@link #STEP_LOCKS}). A create with its {@link #created} record, and a removal with its {@link #removed} record, are
 * {@linkplain #change changes} ({@link OwnMarker} makes both): any number run at once. Judging a marker and removing it
 * is a {@linkplain #breaking break}, and runs alone in its step lock. So a break sees every marker of this JVM at its
 * path either recorded as held or orphaned, and while it has a marker moved aside (to compare it, {@link
 * MarkerFiles#removeIfSame}) no slot here can find the path empty and create at it. A thread never asks for a break
 * while it is inside a change: a step lock cannot be upgraded.
 */
public final class OwnMarkers {

    private static final Set<Identity> HELD = ConcurrentHashMap.newKeySet();
    /**
     * Striped by the marker's file name, which every path to the file shares (a bind mount, an export mounted twice):
     * only markers at one path can be mistaken for each other, and a break stuck in a call on one hung mount then
     * stops no lock whose name falls in another stripe.
     */
    private static final ReentrantReadWriteLock[] STEP_LOCKS = new ReentrantReadWriteLock[256];

    static {
        for (int i = 0; i < STEP_LOCKS.length; i++) {
            STEP_LOCKS[i] = new ReentrantReadWriteLock();
        }
    }

    private record Identity(long devMajor, long devMinor, long inode) {
        static Identity of(MarkerStat stat) {
            return new Identity(stat.devMajor(), stat.devMinor(), stat.inode());
        }
    }

    private OwnMarkers() {
    }

    /**
     * Held around a create of a marker with this JVM's content and its {@link #created}, or a removal and its
     * {@link #removed}.
     */
    static Lock change(Path marker) {
        return stepLock(marker).readLock();
    }

    /** Held around judging a marker and removing it. */
    static Lock breaking(Path marker) {
        return stepLock(marker).writeLock();
    }

    private static ReentrantReadWriteLock stepLock(Path marker) {
        return STEP_LOCKS[Math.floorMod(marker.getFileName().toString().hashCode(), STEP_LOCKS.length)];
    }

    /** The create succeeded, and this is the new marker; call inside the create's {@link #change}. */
    static void created(MarkerStat marker) {
        HELD.add(Identity.of(marker));
    }

    /**
     * The marker was removed, or its removal failed (then it is an orphan); call inside the removal's
     * {@link #change}, before closing its descriptor: while a descriptor is open the inode cannot be given to another
     * file, so no other marker of ours can carry that identity yet.
     */
    static void removed(MarkerStat marker) {
        HELD.remove(Identity.of(marker));
    }

    /**
     * Whether a marker naming this process, seen as {@code marker}, is nobody's here. Final only inside a
     * {@link #breaking break}; elsewhere a hint that a create or removal running meanwhile may change.
     */
    static boolean isOrphan(MarkerStat marker) {
        return !HELD.contains(Identity.of(marker));
    }
}
