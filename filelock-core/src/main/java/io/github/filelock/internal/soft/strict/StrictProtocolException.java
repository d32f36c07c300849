package io.github.filelock.internal.soft.strict;

import java.io.IOException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * A strict lock's files are in a state the protocol cannot read without risking two holders: a malformed or unknown
 * claim, a claim directory that is a symlink, a file system without hard links. As Python filelock's
 * {@code SoftFileLockProtocolError}, it fails the acquisition instead of guessing, and names the claim to inspect.
 */
public final class StrictProtocolException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path lockFile;
    private final @Nullable String claim;

    StrictProtocolException(Path lockFile, @Nullable String claim, String reason) {
        this(lockFile, claim, reason, null);
    }

    StrictProtocolException(Path lockFile, @Nullable String claim, String reason, @Nullable Throwable cause) {
        super("Strict soft lock " + lockFile + (claim == null ? "" : ", claim " + claim) + ": " + reason
                + ". Nothing was removed: inspect " + (claim == null ? lockFile + StrictPaths.COORDINATION_SUFFIX
                        : StrictPaths.claimsOf(lockFile).resolve(claim)) + " and repair or remove it by hand once its"
                + " owner is known to be gone.", cause);
        this.lockFile = lockFile;
        this.claim = claim;
    }

    public Path lockFile() {
        return lockFile;
    }

    /** The claim's file name in the claim directory, when one claim is at fault. */
    public @Nullable String claim() {
        return claim;
    }
}
