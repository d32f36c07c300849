package io.github.filelock.internal.soft.strict;

import io.github.filelock.internal.posix.CPath;
import io.github.filelock.internal.soft.strict.RecordFiles.Read;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Reads the claims of one strict lock, as Python filelock's {@code _read_claims} does: every public name in the
 * claim directory must be a claim of this protocol version with a well-formed record, or the read fails naming it;
 * private records of claims are reclaimed on the way. Sorted by file name, so held claims come before intents.
 */
final class Claims {

    /** A claim that a peer is removing can fail to open for a moment (ESTALE on NFS): retried this long. */
    private static final long READ_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long READ_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private Claims() {
    }

    /**
     * The claims of {@code lockFile}; none when its claim directory does not exist.
     *
     * @throws StrictProtocolException naming the claim when one cannot be read or parsed, or the directory cannot be
     *     listed
     */
    static List<Claim> of(Path lockFile) throws IOException {
        Path directory = StrictPaths.claimsOf(lockFile);
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        Instant now = Instant.now();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.startsWith(".")) {
                    names.add(name);
                } else if (RecordFiles.publicNameOf(name).flatMap(ClaimName::parse).isPresent()) {
                    RecordFiles.reclaimPrivate(entry, now);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new StrictProtocolException(lockFile, null, "cannot list claim directory " + directory + " ("
                    + e.getMessage() + ")", e);
        }
        names.sort(null);
        List<Claim> claims = new ArrayList<>(names.size());
        for (String name : names) {
            Optional<ClaimName> parsed = ClaimName.parse(name);
            if (parsed.isEmpty()) {
                throw new StrictProtocolException(lockFile, name, "unknown claim name or protocol version");
            }
            Read record = readClaim(lockFile, directory, name);
            if (record != null) {
                claims.add(Claim.parse(lockFile, parsed.get(), record.content(), record.since()));
            }
        }
        return claims;
    }

    // null when the claim is gone; EACCES and ESTALE are retried for a moment, then ESTALE counts as gone (the server
    // no longer has the file) and anything else fails closed.
    private static @Nullable Read readClaim(Path lockFile, Path directory, String name) throws IOException {
        byte[] path = CPath.of(directory.resolve(name));
        long deadline = 0;
        boolean waiting = false;
        while (true) {
            try {
                return RecordFiles.read(path, Claim.RECORD_LIMIT);
            } catch (IOException e) {
                int errno = RecordFiles.errno(e);
                if (errno != RecordFiles.EACCES && errno != RecordFiles.ESTALE) {
                    throw new StrictProtocolException(lockFile, name, "cannot read claim (" + e.getMessage() + ")", e);
                }
                if (!waiting) {
                    waiting = true;
                    deadline = System.nanoTime() + READ_GRACE_NANOS;
                } else if (System.nanoTime() - deadline >= 0) {
                    if (errno == RecordFiles.ESTALE) {
                        return null;
                    }
                    throw new StrictProtocolException(lockFile, name, "cannot read claim (" + e.getMessage() + ")",
                            e);
                }
                LockSupport.parkNanos(READ_RETRY_NANOS);
            }
        }
    }
}
