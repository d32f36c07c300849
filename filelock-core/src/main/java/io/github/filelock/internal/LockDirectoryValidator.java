package io.github.filelock.internal;

import io.github.filelock.FileLockException;
import io.github.filelock.UntrustedLockDirectoryException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * Makes sure a lock directory exists, can hold lock files and is controlled by no one but this user, its groups
 * and root ({@link DirectoryTrust}), or says exactly why not.
 */
public final class LockDirectoryValidator {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private LockDirectoryValidator() {
    }

    /**
     * Creates {@code dir} with owner-only permissions when it is missing, checks it, and returns its real
     * path (so that two spellings of one directory share one state in the JVM). With {@code trustShared}, a
     * directory that fails the trust check is used anyway, with a WARN.
     */
    public static Path prepare(Path dir, boolean trustShared) {
        Path absolute = dir.toAbsolutePath().normalize();
        if (!Files.exists(absolute)) {
            if (!trustShared) {
                refuseUntrustedAncestor(absolute); // never write into a directory someone else controls
            }
            create(absolute);
        }
        if (!Files.isDirectory(absolute)) {
            throw new FileLockException("Lock directory " + absolute + " is not a directory. Point the lock"
                    + " directory to a directory, or remove the file that is in the way.");
        }
        Path real;
        try {
            real = absolute.toRealPath();
        } catch (IOException e) {
            throw new FileLockException("Lock directory " + absolute + " cannot be resolved: " + e, e);
        }
        if (!Files.isWritable(real)) {
            String why = isReadOnlyFileSystem(real) ? "it is on a read-only file system"
                    : "this user may not write to it";
            throw new FileLockException("Lock directory " + real + " is not writable: " + why + ". Point the lock"
                    + " directory to a writable directory.");
        }
        Optional<UntrustedLockDirectoryException> distrust = DirectoryTrust.judge(absolute, real);
        if (distrust.isPresent()) {
            if (!trustShared) {
                throw distrust.get();
            }
            Log.LOGGER.log(System.Logger.Level.WARNING, "Lock directory " + absolute + " fails the trust check ("
                    + distrust.get().problem() + "), but trustSharedDirectory is set: its lock files, soft markers and"
                    + " holder records are believed as found, and anyone who can write it can hold, break or forge"
                    + " them.");
        }
        return real;
    }

    private static void refuseUntrustedAncestor(Path missing) {
        Path existing = missing.getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && Files.isDirectory(existing)) {
            DirectoryTrust.judgeParent(missing, existing).ifPresent(distrust -> {
                throw distrust;
            });
        }
    }

    private static void create(Path dir) {
        try {
            if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                // Every directory created on the way is owner-only, so none is a place others can write.
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                // createDirectories applies the umask; set owner-only exactly.
                Files.setPosixFilePermissions(dir, OWNER_ONLY);
            } else {
                Files.createDirectories(dir);
            }
        } catch (FileAlreadyExistsException e) {
            throw new FileLockException("Lock directory " + dir + " cannot be created: " + e.getFile()
                    + " exists and is not a directory. Point the lock directory elsewhere.", e);
        } catch (IOException e) {
            throw new FileLockException("Lock directory " + dir + " cannot be created: " + describe(e)
                    + ". Create it, or point the lock directory to a writable location.", e);
        }
    }

    private static boolean isReadOnlyFileSystem(Path dir) {
        try {
            return Files.getFileStore(dir).isReadOnly();
        } catch (IOException e) {
            return false;
        }
    }

    private static String describe(IOException e) {
        String reason = e.getMessage();
        return e.getClass().getSimpleName() + (reason == null ? "" : " (" + reason + ")");
    }

}
