package io.github.filelock.internal.soft;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The marker paths this JVM holds or is about to create, across all its soft backends. A marker that names this
 * process but is not among them was left by a removal that failed: its pid is alive (it is ours), so no other
 * process may ever break it, and this JVM must clear it itself. A path is claimed before its {@code O_EXCL} create,
 * so a marker being created is never mistaken for such an orphan.
 */
public final class OwnMarkers {

    private static final ConcurrentHashMap<Path, Integer> CLAIMS = new ConcurrentHashMap<>();

    private OwnMarkers() {
    }

    /** Before creating the marker at {@code file}; pair with {@link #release}. */
    public static void claim(Path file) {
        CLAIMS.merge(file, 1, Integer::sum);
    }

    /** After the create failed, or after the marker was removed (or its removal failed). */
    public static void release(Path file) {
        CLAIMS.computeIfPresent(file, (f, n) -> n == 1 ? null : n - 1);
    }

    /** Whether this JVM holds, or is creating, the marker at {@code file}. */
    public static boolean claimed(Path file) {
        return CLAIMS.containsKey(file);
    }
}
