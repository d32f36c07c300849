package io.github.filelock.tools;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether hard links work and never replace an existing name: {@code strict-soft} publishes its claims with
 * {@code link(2)}, as Python's {@code StrictSoftFileLock} does.
 */
final class HardLinks {

    record Result(boolean work, String detail) {
    }

    private HardLinks() {
    }

    static Result check(Path dir) throws IOException {
        Path space = Files.createTempDirectory(dir, ".filelock-verify-link");
        try {
            Path record = Files.writeString(space.resolve("record"), "claim\n");
            Path claim = space.resolve("claim");
            try {
                Files.createLink(claim, record);
            } catch (IOException | UnsupportedOperationException e) {
                return new Result(false, "link(2) failed: " + e);
            }
            Object links = Files.getAttribute(record, "unix:nlink");
            if (!Integer.valueOf(2).equals(links)) {
                return new Result(false, "a link was made but the file counts " + links + " links, not 2");
            }
            Path other = Files.writeString(space.resolve("other"), "other\n");
            try {
                Files.createLink(claim, other);
                return new Result(false, "a link replaced an existing name");
            } catch (FileAlreadyExistsException expected) {
                return new Result(true, "link(2) works, counts 2 links, and refuses an existing name");
            }
        } finally {
            Tidy.delete(space);
        }
    }
}
