package io.github.filelock.internal.soft.strict;

import java.nio.file.Path;

/** Where a strict lock keeps its files: the sentinel at the lock path, the claims in {@code <path>.filelock/claims}. */
final class StrictPaths {

    static final String COORDINATION_SUFFIX = ".filelock";
    private static final String CLAIMS = "claims";

    private StrictPaths() {
    }

    static Path coordinationOf(Path lockFile) {
        return lockFile.resolveSibling(lockFile.getFileName() + COORDINATION_SUFFIX);
    }

    static Path claimsOf(Path lockFile) {
        return coordinationOf(lockFile).resolve(CLAIMS);
    }
}
