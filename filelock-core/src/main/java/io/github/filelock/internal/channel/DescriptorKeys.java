package io.github.filelock.internal.channel;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The file key (device and inode) of the file a just-opened channel refers to, read from its descriptor
 * through Linux {@code /proc/self/fd}, not from the path, which may already name another file.
 *
 * <p>A channel does not tell its descriptor number, so it is found as a descriptor that was not open before
 * the channel was opened and whose link names the path. If none does (the file was renamed or deleted in
 * between), or several refer to different files (another thread opened the path at the same moment), the
 * caller opens again.
 */
final class DescriptorKeys {

    private static final Path PROC_FD = Path.of("/proc/self/fd");

    private DescriptorKeys() {
    }

    /** Null where descriptors cannot be read this way (no /proc, or a file system without file keys). */
    static DescriptorKeys available() {
        try {
            Path self = PROC_FD.resolve("0");
            if (Files.isDirectory(PROC_FD) && Files.readAttributes(self, BasicFileAttributes.class).fileKey() != null) {
                return new DescriptorKeys();
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc mounted
        }
        return null;
    }

    /**
     * The descriptors open now; call right before opening the channel, and close after {@link Before#keyOfNew}.
     * The listing's own descriptor stays open until then, so the channel cannot reuse its number.
     */
    Before before() throws IOException {
        DirectoryStream<Path> listing = Files.newDirectoryStream(PROC_FD);
        Set<String> open = new HashSet<>();
        try {
            for (Path entry : listing) {
                open.add(entry.getFileName().toString());
            }
        } catch (RuntimeException e) {
            listing.close();
            throw e;
        }
        return new Before(listing, open);
    }

    final class Before implements AutoCloseable {

        private final DirectoryStream<Path> listing;
        private final Set<String> open;

        private Before(DirectoryStream<Path> listing, Set<String> open) {
            this.listing = listing;
            this.open = open;
        }

        @Override
        public void close() throws IOException {
            listing.close();
        }

        /** The key of the descriptor opened since, for {@code file}; null if it cannot be told. */
        Object keyOfNew(Path file) throws IOException {
            String target = file.toString();
            Object key = null;
            for (String fd : list()) {
                if (open.contains(fd)) {
                    continue;
                }
                Path link = PROC_FD.resolve(fd);
                try {
                    if (!Files.readSymbolicLink(link).toString().equals(target)) {
                        continue;
                    }
                    Object candidate = Files.readAttributes(link, BasicFileAttributes.class).fileKey();
                    if (key != null && !Objects.equals(key, candidate)) {
                        return null; // two new descriptors of the path, of different files
                    }
                    key = candidate;
                } catch (IOException e) {
                    // closed in the meantime: not ours, ours is open
                }
            }
            return key;
        }
    }

    private static Set<String> list() throws IOException {
        Set<String> fds = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC_FD)) {
            for (Path entry : entries) {
                fds.add(entry.getFileName().toString());
            }
        }
        return fds;
    }
}
