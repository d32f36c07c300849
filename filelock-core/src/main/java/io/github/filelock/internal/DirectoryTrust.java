package io.github.filelock.internal;

import io.github.filelock.UntrustedLockDirectoryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.security.Principal;
import java.util.Map;
import java.util.Optional;

/**
 * Whether anyone but this process's user, its groups or root controls a lock directory: whoever can write it, or
 * any parent, can delete, replace or pre-create lock files and soft markers. OpenSSH's StrictModes, for locks.
 *
 * <p>Rules for the directory and every parent up to {@code /}: owned by this user or root; group-writable only by a
 * group of this process (a directory shared on purpose); writable by every user only if sticky, where each user can
 * remove only their own entries, so the entry below it must be ours (or root's). The lock directory itself must not be
 * writable by every user, sticky or not:
 * others could pre-create its lock files. Both the real path and the configured spelling are walked, so that no
 * symlink hides who really owns a directory, and no one else's symlink steers us into a directory of our own.
 *
 * <p>The walk does not stop at the first root-owned directory: whoever can write its parent can rename it away and
 * put their own in its place, and a service running as root owns every directory it creates.
 */
final class DirectoryTrust {

    private static final int S_IFMT = 0170000;
    private static final int S_IFLNK = 0120000;
    private static final int STICKY = 01000;
    private static final int GROUP_WRITE = 020;
    private static final int OTHER_WRITE = 02;

    private DirectoryTrust() {
    }

    /** The first rule that {@code real} (and the {@code configured} spelling of it) breaks, if any. */
    static Optional<UntrustedLockDirectoryException> judge(Path configured, Path real) {
        return judge(configured, configured, real, true);
    }

    /**
     * The first rule that {@code existing}, the nearest existing parent of the missing lock directory
     * {@code configured}, breaks as a parent: checked before anything is created in it.
     */
    static Optional<UntrustedLockDirectoryException> judgeParent(Path configured, Path existing) {
        Path real;
        try {
            real = existing.toRealPath();
        } catch (IOException e) {
            return Optional.empty(); // creating below it will fail and say why
        }
        return judge(configured, existing, real, false);
    }

    private static Optional<UntrustedLockDirectoryException> judge(Path configured, Path start, Path real,
            boolean startIsLockDirectory) {
        if (!real.getFileSystem().supportedFileAttributeViews().contains("unix")) {
            return Optional.empty(); // Windows: no owners or mode bits to judge by
        }
        ProcessUser user = ProcessUser.current();
        Optional<UntrustedLockDirectoryException> distrust = walk(configured, real, user, startIsLockDirectory);
        return distrust.isPresent() || start.equals(real)
                ? distrust : walk(configured, start, user, startIsLockDirectory);
    }

    private static Optional<UntrustedLockDirectoryException> walk(Path configured, Path start, ProcessUser user,
            boolean startIsLockDirectory) {
        boolean lockDirectory = startIsLockDirectory;
        for (Path path = start; path != null; path = path.getParent(), lockDirectory = false) {
            Map<String, Object> attributes;
            try {
                attributes = Files.readAttributes(path, "unix:uid,gid,mode,owner,group", LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                return fail(configured, path, path + " cannot be examined (" + e + ")",
                        "Make sure this user can reach every directory on the way to it.");
            }
            long uid = ((Number) attributes.get("uid")).longValue();
            long gid = ((Number) attributes.get("gid")).longValue();
            int mode = ((Number) attributes.get("mode")).intValue();
            boolean symlink = (mode & S_IFMT) == S_IFLNK;
            if (uid != user.uid() && uid != ProcessUser.ROOT) {
                String owner = name((UserPrincipal) attributes.get("owner"), "uid", uid);
                return symlink
                        ? fail(configured, path, path + " is a symlink owned by " + owner + ", neither this process's"
                                + " user (uid " + user.uid() + ") nor root, who may point it anywhere",
                                "Remove the symlink, or configure the real path of the lock directory.")
                        : fail(configured, path, path + " is owned by " + owner + ", neither this process's user"
                                + " (uid " + user.uid() + ") nor root",
                                "If another user created it, remove it and let it be created again (or choose another"
                                        + " directory); if it is meant for this service, chown it to uid " + user.uid()
                                        + ".");
            }
            if (symlink) {
                continue; // a symlink's own mode means nothing; the directory holding it is judged next
            }
            boolean sticky = (mode & STICKY) != 0;
            if ((mode & GROUP_WRITE) != 0 && !user.isIn(gid) && !(sticky && !lockDirectory)) {
                String group = name((GroupPrincipal) attributes.get("group"), "gid", gid);
                return fail(configured, path, path + " is writable by group " + group
                        + ", which this process is not in", "Run chmod g-w " + path + ", or give it a group this"
                                + " process's user is in (a directory shared by several service users: a common group"
                                + " and mode 2770).");
            }
            if ((mode & OTHER_WRITE) != 0) {
                if (!sticky) {
                    return fail(configured, path, path + " is writable by every user and not sticky",
                            "Run chmod o-w " + path + ", or choose a directory that only this user (or its group)"
                                    + " can write.");
                }
                if (lockDirectory) {
                    return fail(configured, path, path + " is writable by every user (sticky, like /tmp), so anyone"
                            + " could create its lock files first", "Run chmod o-w " + path + ", or use a"
                                    + " subdirectory of it that this user creates.");
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<UntrustedLockDirectoryException> fail(Path configured, Path path, String problem,
            String remedy) {
        return Optional.of(new UntrustedLockDirectoryException(configured, path, problem, remedy));
    }

    private static String name(Principal principal, String kind, long id) {
        String name = principal == null ? null : principal.getName();
        return name == null || name.equals(Long.toString(id)) ? kind + " " + id : name + " (" + kind + " " + id + ")";
    }
}
