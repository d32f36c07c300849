package io.github.filelock.internal.soft;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The permanent sentinel that Python filelock's {@code StrictSoftFileLock} (the {@code strict-soft} type) keeps at
 * the lock path: {@code 1\nfilelock-strict-v1\0\n0\n}. It is not a holder and never stale: no soft type may break it.
 * Python's {@code SoftFileLock} leaves it alone too, so a {@code soft} lock on a strict-soft name is never granted.
 */
public final class StrictSentinel {

    private static final byte[] RECORD = "1\nfilelock-strict-v1\0\n0\n".getBytes(StandardCharsets.US_ASCII);

    private StrictSentinel() {
    }

    /** Whether {@code content} is exactly the sentinel. */
    public static boolean is(byte[] content) {
        return Arrays.equals(content, RECORD);
    }
}
