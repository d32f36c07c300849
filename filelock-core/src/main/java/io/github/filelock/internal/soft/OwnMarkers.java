package io.github.filelock.internal.soft;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The marker paths this JVM holds or is about to create, across all its soft backends. A marker that names this
 * process but is not among them was left by a removal that failed: its pid is alive (it is ours), so no other
 * process may ever break it, and this JVM must clear it itself. A path is claimed before its {@code O_EXCL} create,
 * so a marker being created is never mistaken for such an orphan.
 *
 * <p>All markers of this JVM have the same content, and a freed inode is often given to the next file at once, so a
 * marker judged an orphan and one that a slot here created after that judgement can look identical. A breaker reads
 * the {@link #epoch} before it looks at a marker of ours, and moves it away only if the epoch has not changed since.
 */
public final class OwnMarkers {

    private static final ConcurrentHashMap<Path, Integer> CLAIMS = new ConcurrentHashMap<>();
    private static final AtomicLongArray EPOCHS = new AtomicLongArray(64);

    private OwnMarkers() {
    }

    /** Before creating the marker at {@code file}; pair with {@link #release}. */
    public static void claim(Path file) {
        EPOCHS.incrementAndGet(stripe(file)); // before the create, so a breaker that read the epoch earlier sees it
        CLAIMS.merge(file, 1, Integer::sum);
    }

    /**
     * A number that changes whenever this JVM is about to create a marker at {@code file} (or at a path that shares
     * its stripe: a change is a reason to look again, never a proof).
     */
    static long epoch(Path file) {
        return EPOCHS.get(stripe(file));
    }

    /** After the create failed, or after the marker was removed (or its removal failed). */
    public static void release(Path file) {
        CLAIMS.computeIfPresent(file, (f, n) -> n == 1 ? null : n - 1);
    }

    /** Whether this JVM holds, or is creating, the marker at {@code file}. */
    public static boolean claimed(Path file) {
        return CLAIMS.containsKey(file);
    }

    private static int stripe(Path file) {
        return Math.floorMod(file.hashCode(), EPOCHS.length());
    }
}
