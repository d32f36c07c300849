package io.github.filelock.internal.soft.strict;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a strict wait polls the doorway: first after {@code first}, then doubling up to {@code max}, each pause
 * jittered down by up to half so that contenders polling together drift apart instead of colliding on every try
 * (colliding intents all withdraw but the smallest).
 */
record Polling(long first, long max) {

    /** The soft types' cadence: 5 ms, doubling to 25 ms. */
    static final Polling DEFAULT = new Polling(5, 25);

    static Polling upTo(Duration max) {
        long millis = Math.max(1, max.toMillis());
        return new Polling(Math.min(DEFAULT.first, millis), millis);
    }

    long next(long pause) {
        return Math.min(max, pause * 2);
    }

    // The engine's wait thread polls here; it is never interrupted (abandon() stops it), so keep any interrupt.
    static void sleep(long millis) {
        long jittered = millis - ThreadLocalRandom.current().nextLong(millis / 2 + 1);
        try {
            Thread.sleep(Math.max(1, jittered));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
