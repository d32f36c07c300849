package io.github.filelock.internal.soft.strict;

import com.sun.jna.LastErrorException;
import io.github.filelock.internal.TestHooks;
import io.github.filelock.internal.posix.CPath;
import io.github.filelock.internal.posix.Errno;
import io.github.filelock.internal.posix.LibC;
import io.github.filelock.internal.posix.Platform;
import io.github.filelock.internal.posix.Statx;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The file operations of the strict protocol, as Python filelock's {@code _strict.py} does them: a record is written
 * whole under a private name and then published by {@code link(2)}, which never replaces a file, so no reader ever
 * sees a partial record at a public name; a record is read only from a regular file, through {@code O_NOFOLLOW},
 * checked to be the file that was looked at, and only up to a limit.
 */
final class RecordFiles {

    // Linux errno values (strict locks are Linux only, as soft ones).
    static final int EACCES = 13;
    static final int ESTALE = 116;
    private static final int EXDEV = 18;
    private static final int ENOSYS = 38;
    private static final int EOPNOTSUPP = 95;
    /** Errors with which a file system says it has no hard links; EPERM is how FAT and some FUSE ones say it. */
    private static final Set<Integer> NO_HARD_LINKS = Set.of(ENOSYS, EXDEV, EOPNOTSUPP, Errno.EPERM);

    private static final String PRIVATE_MARKER = ".private-v1-";
    private static final String PRIVATE_SUFFIX = ".tmp";
    private static final int PRIVATE_RANDOM_HEX = 32;
    /** An unlinked private record younger than this may still be about to be published by a live writer. */
    private static final Duration PRIVATE_GRACE = Duration.ofSeconds(2);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A record as read, and when its file was created (or last modified, where creation is not recorded). */
    record Read(byte[] content, Instant since) {
    }

    /** How a publication ended. */
    enum Publication {
        /** The record is at its public name. */
        PUBLISHED,
        /** Something else already was at the public name. */
        TAKEN,
        /** A contender reclaimed the private record before it was linked: retry later, as Python does. */
        RECLAIMED
    }

    private RecordFiles() {
    }

    static String randomHex(int digits) {
        byte[] bytes = new byte[digits / 2];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Reads at most {@code limit} bytes of the regular file at {@code path}.
     *
     * @return what was read, or {@code null} when nothing is there
     * @throws IOException when it is not a regular file, changed while being opened, or is longer than the limit;
     *     its errno, where there is one, is {@link #errno}
     */
    static @Nullable Read read(byte[] path, int limit) throws IOException {
        Statx looked = new Statx();
        if (!looked.ofPath(path, Statx.BASIC_AND_BTIME)) {
            return null;
        }
        if (!looked.isRegularFile()) {
            throw new IOException(CPath.show(path) + " is not a regular file");
        }
        int fd;
        try {
            Platform p = Platform.current();
            fd = LibC.open(path, p.rdonly() | p.noFollow() | p.nonBlock() | p.closeOnExec(), 0);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ENOENT) {
                return null;
            }
            throw new IOException("Cannot open " + CPath.show(path) + ": " + Errno.describe(e.getErrorCode()), e);
        }
        try {
            Statx opened = new Statx();
            opened.ofDescriptor(fd, Statx.BASIC_AND_BTIME);
            if (!opened.isRegularFile() || !opened.sameFile(looked)) {
                throw new IOException(CPath.show(path) + " changed while it was opened");
            }
            byte[] buffer = new byte[limit + 1];
            int n = 0;
            while (n < buffer.length) {
                byte[] chunk = new byte[buffer.length - n];
                long got = LibC.read(fd, chunk, chunk.length);
                if (got <= 0) {
                    break;
                }
                System.arraycopy(chunk, 0, buffer, n, (int) got);
                n += (int) got;
            }
            if (n > limit) {
                throw new IOException(CPath.show(path) + " is longer than " + limit + " bytes");
            }
            Instant born = opened.born();
            return new Read(Arrays.copyOf(buffer, n), born != null ? born : opened.modified());
        } catch (LastErrorException e) {
            throw new IOException("Cannot read " + CPath.show(path) + ": " + Errno.describe(e.getErrorCode()), e);
        } finally {
            closeQuietly(fd);
        }
    }

    /**
     * Writes {@code record} to a fresh private file in {@code directory}, then links it to {@code publicName} and
     * removes the private name. A reader of the public name sees the whole record or nothing.
     *
     * @throws StrictProtocolException when the file system has no hard links
     */
    static Publication publish(Path lockFile, Path directory, String publicName, byte[] record, int mode)
            throws IOException {
        byte[] privatePath = CPath.of(directory.resolve("." + publicName + PRIVATE_MARKER
                + randomHex(PRIVATE_RANDOM_HEX) + PRIVATE_SUFFIX));
        byte[] publicPath = CPath.of(directory.resolve(publicName));
        Platform p = Platform.current();
        int fd;
        try {
            fd = LibC.open(privatePath, p.rdwr() | p.create() | p.excl() | p.noFollow() | p.closeOnExec(), mode);
        } catch (LastErrorException e) {
            throw new IOException("Cannot create " + CPath.show(privatePath) + ": "
                    + Errno.describe(e.getErrorCode()), e);
        }
        Statx mine = null;
        try {
            LibC.fchmod(fd, mode);
            Statx written = new Statx();
            written.ofDescriptor(fd, Statx.BASIC_AND_BTIME);
            mine = written;
            writeFully(fd, record);
            try {
                LibC.link(privatePath, publicPath);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == Errno.EEXIST) {
                    return Publication.TAKEN;
                }
                if (e.getErrorCode() == Errno.ENOENT && !new Statx().ofPath(privatePath, Statx.BASIC_AND_BTIME)) {
                    return Publication.RECLAIMED;
                }
                throw linkFailure(lockFile, privatePath, publicPath, e);
            }
            TestHooks.reach("RecordFiles.linked", CPath.show(publicPath));
            Statx published = new Statx();
            return published.ofPath(publicPath, Statx.BASIC_AND_BTIME) && published.sameFile(mine)
                    ? Publication.PUBLISHED : Publication.RECLAIMED;
        } catch (LastErrorException e) {
            throw new IOException("Cannot write " + CPath.show(privatePath) + ": " + Errno.describe(e.getErrorCode()),
                    e);
        } finally {
            closeQuietly(fd);
            if (mine != null) {
                unlinkIfSame(privatePath, mine);
            }
        }
    }

    /**
     * Links {@code from} to {@code to}, never replacing a file there.
     *
     * @throws StrictProtocolException when the file system has no hard links
     */
    static void link(Path lockFile, byte[] from, byte[] to) throws IOException {
        try {
            LibC.link(from, to);
        } catch (LastErrorException e) {
            throw linkFailure(lockFile, from, to, e);
        }
        TestHooks.reach("RecordFiles.linked", CPath.show(to));
    }

    /** Removes the file at {@code path}: true if it did, false if nothing was there. */
    static boolean unlink(byte[] path) throws IOException {
        try {
            LibC.unlink(path);
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ENOENT) {
                return false;
            }
            throw new IOException("Cannot remove " + CPath.show(path) + ": " + Errno.describe(e.getErrorCode()), e);
        }
    }

    /** The public name a private record was written for, or empty when {@code fileName} is no private record. */
    static Optional<String> publicNameOf(String fileName) {
        if (!fileName.startsWith(".") || !fileName.endsWith(PRIVATE_SUFFIX)) {
            return Optional.empty();
        }
        String inner = fileName.substring(1, fileName.length() - PRIVATE_SUFFIX.length());
        int marker = inner.lastIndexOf(PRIVATE_MARKER);
        if (marker < 0) {
            return Optional.empty();
        }
        String random = inner.substring(marker + PRIVATE_MARKER.length());
        return random.length() == PRIVATE_RANDOM_HEX && random.chars().allMatch(c -> Character.digit(c, 16) >= 0
                && !Character.isUpperCase(c)) ? Optional.of(inner.substring(0, marker)) : Optional.empty();
    }

    /**
     * Removes a private record that is already published (it has a second link) or that a crashed writer left
     * unpublished for longer than the grace, as Python does; a younger unlinked one may be about to be published.
     *
     * @throws IOException when something other than a regular file has a private record's name (protocol damage)
     */
    static void reclaimPrivate(Path file, Instant now) throws IOException {
        byte[] path = CPath.of(file);
        Statx stat = new Statx();
        if (!stat.ofPath(path, Statx.BASIC_AND_BTIME)) {
            return;
        }
        if (!stat.isRegularFile()) {
            throw new IOException(file + " is not a regular private record");
        }
        if (stat.linkCount() == 1 && Duration.between(stat.modified(), now).compareTo(PRIVATE_GRACE) < 0) {
            return;
        }
        try {
            LibC.unlink(path);
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            if (errno != Errno.ENOENT && errno != EACCES && errno != Errno.EPERM) {
                throw new IOException("Cannot remove " + file + ": " + Errno.describe(errno), e);
            }
        }
    }

    /**
     * Creates a protocol directory, or checks that the one there is a real directory (not a symlink).
     *
     * @throws StrictProtocolException when something else is there
     */
    static void ensureDirectory(Path lockFile, Path directory) throws IOException {
        try {
            Files.createDirectory(directory);
            return;
        } catch (FileAlreadyExistsException e) {
            // checked below
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(directory, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new StrictProtocolException(lockFile, null, "cannot inspect " + directory + " (" + e + ")", e);
        }
        if (!attributes.isDirectory() || attributes.isSymbolicLink()) {
            throw new StrictProtocolException(lockFile, null, directory + " is not a real directory");
        }
    }

    /** The errno behind an exception from these operations, or -1. */
    static int errno(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LastErrorException l) {
                return l.getErrorCode();
            }
        }
        return -1;
    }

    private static IOException linkFailure(Path lockFile, byte[] from, byte[] to, LastErrorException e) {
        if (NO_HARD_LINKS.contains(e.getErrorCode())) {
            return new StrictProtocolException(lockFile, null, "the file system does not support atomic no-replace"
                    + " hard links (" + Errno.describe(e.getErrorCode()) + "), which strict claims are published"
                    + " with; use soft or soft-lease locks here", e);
        }
        return new IOException("Cannot link " + CPath.show(from) + " to " + CPath.show(to) + ": "
                + Errno.describe(e.getErrorCode()), e);
    }

    private static void unlinkIfSame(byte[] path, Statx expected) {
        try {
            Statx now = new Statx();
            if (now.ofPath(path, Statx.BASIC_AND_BTIME) && now.sameFile(expected)) {
                LibC.unlink(path);
            }
        } catch (IOException | LastErrorException e) {
            // a private record left behind is reclaimed by the next publisher after its grace
        }
    }

    private static void writeFully(int fd, byte[] content) {
        int done = 0;
        while (done < content.length) {
            byte[] rest = done == 0 ? content : Arrays.copyOfRange(content, done, content.length);
            done += (int) LibC.write(fd, rest, rest.length);
        }
    }

    static void closeQuietly(int fd) {
        try {
            LibC.close(fd);
        } catch (LastErrorException e) {
            // nothing was written through it that a failed close could lose
        }
    }
}
