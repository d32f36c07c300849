package io.github.filelock.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

/**
 * How finely the file system keeps a modification time: a time with every decimal digit down to the nanosecond is
 * set, and what comes back shows where it was cut. {@code soft-lease} and {@code soft-rw} judge staleness by mtime.
 */
final class MtimeGranularity {

    private static final Instant PROBE = Instant.ofEpochSecond(1_700_000_000L, 123_456_789);

    private MtimeGranularity() {
    }

    /** The granularity, or null when the time came back changed in a way no cut explains. */
    static Duration check(Path dir) throws IOException {
        Path file = Files.createTempFile(dir, ".filelock-verify-mtime", "");
        try {
            Files.setLastModifiedTime(file, FileTime.from(PROBE));
            Instant back = Files.getLastModifiedTime(file).toInstant();
            long wanted = PROBE.getNano();
            for (long unit = 1; unit <= 1_000_000_000L; unit *= 10) {
                if (back.getEpochSecond() == PROBE.getEpochSecond() && back.getNano() == wanted - wanted % unit) {
                    return Duration.ofNanos(unit);
                }
            }
            if (back.getEpochSecond() == PROBE.getEpochSecond() - PROBE.getEpochSecond() % 2 && back.getNano() == 0) {
                return Duration.ofSeconds(2); // FAT
            }
            return null;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    static String describe(Duration granularity) {
        long nanos = granularity.toNanos();
        if (nanos < 1_000) {
            return nanos + " ns";
        }
        if (nanos < 1_000_000) {
            return nanos / 1_000 + " µs";
        }
        if (nanos < 1_000_000_000) {
            return nanos / 1_000_000 + " ms";
        }
        return nanos / 1_000_000_000 + " s";
    }
}
