package io.github.filelock.internal.soft;

import com.sun.jna.LastErrorException;
import io.github.filelock.internal.Log;
import io.github.filelock.internal.TestHooks;
import io.github.filelock.internal.posix.CPath;
import io.github.filelock.internal.posix.Errno;
import io.github.filelock.internal.posix.LibC;
import io.github.filelock.internal.posix.LockFileRefusedException;
import io.github.filelock.internal.posix.Platform;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/** The file operations of the soft protocol: create exclusively, look at a marker, remove one file by identity. */
public final class MarkerFiles {

    static final int MAX_CONTENT = 4096;

    /** A marker as seen through one descriptor: its content and the identity of the very file that was read. */
    public record Observed(MarkerStat stat, byte[] content) {
    }

    /** The outcome of {@link #removeIfSame}. */
    public enum Removal {
        /** The expected file was moved away and unlinked. */
        REMOVED,
        /** Nothing was at the path. */
        GONE,
        /** Another file was at the path; it was put back (or, if the path was taken meanwhile, is reported). */
        OTHER
    }

    private MarkerFiles() {
    }

    /**
     * Creates {@code path} with {@code O_CREAT|O_EXCL|O_NOFOLLOW}, writes {@code content} and sets {@code mode}
     * exactly (open(2) applies the umask).
     *
     * @return the open descriptor, or -1 when something already exists at the path
     */
    public static int createExclusive(Path file, byte[] path, byte[] content, int mode) throws IOException {
        Platform p = Platform.current();
        int flags = p.wronly() | p.create() | p.excl() | p.noFollow() | p.closeOnExec();
        int fd;
        while (true) {
            try {
                fd = LibC.open(path, flags, mode);
                break;
            } catch (LastErrorException e) {
                if (e.getErrorCode() == Errno.EEXIST) {
                    return -1;
                }
                if (e.getErrorCode() != Errno.EINTR) {
                    throw failure("create", file, e);
                }
            }
        }
        try {
            LibC.fchmod(fd, mode);
            writeFully(fd, content);
            return fd;
        } catch (LastErrorException e) {
            MarkerStat mine = MarkerStat.ofDescriptor(fd);
            closeQuietly(fd);
            removeIfSame(path, mine);
            throw failure("write", file, e);
        }
    }

    /**
     * Opens what is at {@code path} without following a symlink, and reads its identity and content through
     * that one descriptor.
     *
     * @return what was read, or {@code null} when nothing is there
     * @throws LockFileRefusedException when the path holds a symlink, directory, FIFO or device
     */
    public static Observed observe(Path file, byte[] path) throws IOException {
        int fd;
        try {
            Platform p = Platform.current();
            fd = LibC.open(path, p.rdonly() | p.noFollow() | p.nonBlock() | p.closeOnExec(), 0);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ENOENT) {
                return null;
            }
            if (e.getErrorCode() == Platform.current().eloop()) {
                throw new LockFileRefusedException(file, "a symbolic link");
            }
            throw failure("open", file, e);
        }
        try {
            MarkerStat stat = MarkerStat.ofDescriptor(fd);
            if (!stat.isRegularFile()) {
                throw new LockFileRefusedException(file,
                        "not a regular file (mode " + Integer.toOctalString(stat.mode()) + ")");
            }
            byte[] buffer = new byte[MAX_CONTENT];
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
            return new Observed(stat, Arrays.copyOf(buffer, n));
        } catch (LastErrorException e) {
            throw failure("read", file, e);
        } finally {
            closeQuietly(fd);
        }
    }

    /**
     * Removes the file at {@code path} only if it is {@code expected}, with no window in which another file at
     * that path could be deleted: the path is first renamed to a private name (atomic), the moved file's inode
     * is compared, and only then is the private name unlinked. A file moved by mistake is linked back with
     * {@code link(2)}, which never replaces a file that appeared at the path meanwhile.
     */
    public static Removal removeIfSame(byte[] path, MarkerStat expected) throws IOException {
        return removeIfSame(path, expected, null);
    }

    /**
     * As {@link #removeIfSame(byte[], MarkerStat)}, and the moved file must also hold {@code content}: inode
     * numbers are reused, so after our marker was removed a successor's may carry the same one.
     */
    public static Removal removeIfSame(byte[] path, MarkerStat expected, byte @Nullable [] content) throws IOException {
        String original = CPath.show(path);
        byte[] aside = CPath.of(original + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".aside");
        try {
            LibC.rename(path, aside);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ENOENT) {
                return Removal.GONE;
            }
            throw failure("rename", Path.of(original), e);
        }
        TestHooks.reach("MarkerFiles.aside", Path.of(original)); // nothing is at the path until it is put back
        try {
            Observed moved = observe(Path.of(CPath.show(aside)), aside);
            if (moved != null && expected.sameFile(moved.stat())
                    && (content == null || Arrays.equals(content, moved.content()))) {
                return Removal.REMOVED;
            }
            try {
                LibC.link(aside, path);
            } catch (LastErrorException e) {
                Log.LOGGER.log(Level.ERROR, "Soft lock marker " + original + " was moved"
                        + " aside by mistake and could not be put back (errno " + e.getErrorCode() + "): another"
                        + " marker took its place.");
            }
            return Removal.OTHER;
        } finally {
            try {
                LibC.unlink(aside);
            } catch (LastErrorException e) {
                Log.LOGGER.log(Level.WARNING, "Could not delete " + CPath.show(aside), e);
            }
        }
    }

    private static void writeFully(int fd, byte[] content) {
        int done = 0;
        while (done < content.length) {
            byte[] rest = done == 0 ? content : Arrays.copyOfRange(content, done, content.length);
            done += (int) LibC.write(fd, rest, rest.length);
        }
    }

    public static void closeQuietly(int fd) {
        try {
            LibC.close(fd);
        } catch (LastErrorException e) {
            // nothing was written through it that a failed close could lose
        }
    }

    public static IOException failure(String what, Path file, LastErrorException e) {
        return new IOException("Cannot " + what + " soft lock marker " + file + ": "
                + Errno.describe(e.getErrorCode()), e);
    }
}
