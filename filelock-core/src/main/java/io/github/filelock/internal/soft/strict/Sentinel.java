package io.github.filelock.internal.soft.strict;

import io.github.filelock.internal.posix.CPath;
import io.github.filelock.internal.soft.strict.RecordFiles.Publication;
import io.github.filelock.internal.soft.strict.RecordFiles.Read;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The permanent sentinel at a strict lock's path. Its content reads, to a protocol-1 soft lock, as pid 1 on a host
 * that cannot exist, so that legacy soft-lock users never enter a path that strict locks use; it is never removed.
 * A strict contender enters the doorway only while the sentinel is there: anything else at the path (a legacy soft
 * holder's marker) makes it wait, as Python does.
 */
final class Sentinel {

    /** Exactly what Python filelock 3.30+ writes ({@code STRICT_SOFT_SENTINEL_RECORD}). */
    static final byte[] RECORD = "1\nfilelock-strict-v1\0\n0\n".getBytes(StandardCharsets.US_ASCII);

    private Sentinel() {
    }

    /** Whether {@code content} is the sentinel. */
    static boolean is(byte[] content) {
        return Arrays.equals(content, RECORD);
    }

    /**
     * Whether the sentinel is at {@code lockFile}, after creating it if nothing was there. False (wait) when
     * something else is there or it cannot be read, as Python treats it.
     */
    static boolean ensure(Path lockFile, int mode) throws IOException {
        Read found;
        try {
            found = RecordFiles.read(CPath.of(lockFile), RECORD.length);
        } catch (IOException e) {
            return false;
        }
        if (found != null) {
            return is(found.content());
        }
        reclaimPrivateRecords(lockFile);
        if (RecordFiles.publish(lockFile, lockFile.getParent(), lockFile.getFileName().toString(), RECORD, mode)
                == Publication.RECLAIMED) {
            return false;
        }
        return is(readQuietly(lockFile));
    }

    private static byte[] readQuietly(Path lockFile) {
        try {
            Read again = RecordFiles.read(CPath.of(lockFile), RECORD.length);
            return again == null ? new byte[0] : again.content();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    // Private records of this sentinel that a crashed creator left in the lock directory.
    private static void reclaimPrivateRecords(Path lockFile) throws IOException {
        String name = lockFile.getFileName().toString();
        Instant now = Instant.now();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(lockFile.getParent(),
                entry -> entry.getFileName().toString().startsWith("." + name + "."))) {
            for (Path entry : entries) {
                if (name.equals(RecordFiles.publicNameOf(entry.getFileName().toString()).orElse(null))) {
                    RecordFiles.reclaimPrivate(entry, now);
                }
            }
        }
    }

    /** The content at {@code lockFile} when it is not the sentinel (a legacy marker), or null. */
    static byte @Nullable [] other(Path lockFile) {
        try {
            Read found = RecordFiles.read(CPath.of(lockFile), 4096);
            return found == null || is(found.content()) ? null : found.content();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
