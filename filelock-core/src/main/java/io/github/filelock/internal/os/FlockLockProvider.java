package io.github.filelock.internal.os;

import com.sun.jna.LastErrorException;
import io.github.filelock.LockMechanism;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * {@code flock(2)} on Linux and macOS, through JNA. These locks belong to the open file description, so
 * unlike fcntl locks they are not dropped when some other descriptor of the same file is closed, and they
 * interoperate with {@code flock(1)}, Python filelock and the flock-based Go and Rust libraries.
 */
public final class FlockLockProvider implements OsLockProvider {

    private static final Charset PATH_CHARSET = Charset.forName(
            System.getProperty("sun.jnu.encoding", Charset.defaultCharset().name()));

    private final Platform platform;

    private FlockLockProvider(Platform platform) {
        this.platform = platform;
    }

    /**
     * Loads native access for this platform.
     *
     * @throws UnsupportedOperationException with the reason, when flock cannot be used here
     */
    public static FlockLockProvider load() {
        Platform platform = Platform.current();
        if (platform == null) {
            throw new UnsupportedOperationException("no flock(2) binding for " + System.getProperty("os.name")
                    + " on " + System.getProperty("os.arch"));
        }
        try {
            LibC.load();
        } catch (LinkageError e) {
            throw new UnsupportedOperationException("JNA could not load libc: " + e, e);
        }
        return new FlockLockProvider(platform);
    }

    @Override
    public LockMechanism mechanism() {
        return LockMechanism.FLOCK;
    }

    @Override
    public boolean detectsDeletedFiles() {
        return platform.linux(); // statx link count; macOS has no statx here
    }

    @Override
    public OsLockFile open(Path file, Set<PosixFilePermission> permissions, boolean create) throws IOException {
        byte[] path = cString(file);
        // O_NOFOLLOW refuses a planted symlink (ELOOP) without following it; O_NONBLOCK keeps a planted
        // FIFO from hanging the open; no O_TRUNC, so nothing is ever truncated.
        int flags = platform.rdwr() | platform.noFollow() | platform.nonBlock() | platform.closeOnExec();
        while (true) {
            if (create) {
                int fd = tryOpen(file, path, flags | platform.create() | platform.excl(), modeBits(permissions));
                if (fd >= 0) {
                    return checked(file, path, fd, modeBits(permissions));
                }
            }
            int fd = tryOpen(file, path, flags, 0);
            if (fd >= 0) {
                return checked(file, path, fd, -1);
            }
            if (!create) {
                return null;
            }
            // Deleted between our two opens: try to create it again.
        }
    }

    /** Returns the descriptor, or -1 for "exists" (when creating) and "missing" (otherwise). */
    private int tryOpen(Path file, byte[] path, int flags, int mode) throws IOException {
        while (true) {
            try {
                return LibC.open(path, flags, mode);
            } catch (LastErrorException e) {
                int errno = e.getErrorCode();
                if (errno == LibC.EINTR) {
                    continue;
                }
                if (errno == LibC.EEXIST || errno == LibC.ENOENT) {
                    return -1;
                }
                if (errno == platform.eloop()) {
                    throw new LockFileRefusedException(file, "a symbolic link");
                }
                if (errno == LibC.EISDIR) {
                    throw new LockFileRefusedException(file, "a directory");
                }
                throw new IOException("Cannot open lock file " + file + ": " + Errno.describe(errno), e);
            }
        }
    }

    // Wraps the descriptor first, so that it is closed whatever fails next. `mode` -1: keep the file's mode.
    private OsLockFile checked(Path file, byte[] path, int fd, int mode) throws IOException {
        FlockLockFile lockFile = new FlockLockFile(platform, file, path, fd);
        try {
            lockFile.refuseIfNotRegular();
            if (mode >= 0) {
                // open(2) applies the umask; set the permissions the user asked for exactly.
                setMode(file, fd, mode);
            }
            return lockFile;
        } catch (IOException | RuntimeException e) {
            lockFile.close();
            throw e;
        }
    }

    private static void setMode(Path file, int fd, int mode) throws IOException {
        try {
            LibC.fchmod(fd, mode);
        } catch (LastErrorException e) {
            throw new IOException("Cannot set the permissions of lock file " + file + " to "
                    + Integer.toOctalString(mode) + ": " + Errno.describe(e.getErrorCode()), e);
        }
    }

    static byte[] cString(Path file) {
        byte[] bytes = file.toString().getBytes(PATH_CHARSET);
        byte[] withNul = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, withNul, 0, bytes.length);
        return withNul;
    }

    /** {@code rw-r--r--} as the mode bits of open(2) and chmod(2): {@code 0644}. */
    public static int modeBits(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= 1 << (8 - p.ordinal());
        }
        return mode;
    }
}
