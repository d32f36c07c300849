package io.github.filelock.internal;

import java.util.function.BiConsumer;

/**
 * Named points in the engine where a test can force an interleaving (park a thread at a chosen step, run the
 * racing step, then let it go) instead of hoping a sleep lands it. With no hook installed, {@link #reach} is one
 * volatile read and nothing else.
 *
 * <p>Points are plain strings, {@code "<class>.<step>"}, so that adding one touches only the class that has it.
 * Tests install a hook for the points they care about and ignore the rest; production code never installs one.
 */
public final class TestHooks {

    private static volatile BiConsumer<String, Object> hook;

    private TestHooks() {
    }

    /** Called by the engine at {@code point}; {@code subject} is whatever the step is working on. */
    public static void reach(String point, Object subject) {
        BiConsumer<String, Object> h = hook;
        if (h != null) {
            h.accept(point, subject);
        }
    }

    /** Installs {@code h} for every point (null removes it). For tests only. */
    public static void install(BiConsumer<String, Object> h) {
        hook = h;
    }
}
