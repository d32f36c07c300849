package io.github.filelock.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reads Linux {@code /proc/locks} to learn whether a file is locked, and by which pid, without touching the
 * file's lock: the kernel's own table, so even a {@code flock(1)} holder that wrote no record is seen.
 *
 * <p>The table names a file by the device of its file system's superblock and its inode. {@code stat} reports
 * another device on btrfs subvolumes (and can on overlayfs), so a file matches by either its stat device or the
 * device {@code /proc/self/mountinfo} gives its mount, as util-linux lslocks does. Inode numbers repeat between
 * btrfs subvolumes of one file system, so there a lock on a same-numbered file of another subvolume also
 * matches: this is for diagnostics, never for deciding who holds a lock.
 */
public final class KernelLocks {

    private static final Path PROC_LOCKS = Path.of("/proc/locks");
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private final List<String> locks;
    private final List<String> mounts;

    private KernelLocks(List<String> locks, List<String> mounts) {
        this.locks = locks;
        this.mounts = mounts;
    }

    public static boolean available() {
        return Files.isReadable(PROC_LOCKS);
    }

    /** The lock and mount tables as they are now: read once, then ask about many files (a scan). */
    public static KernelLocks read() {
        TestHooks.reach("KernelLocks.read", null);
        if (!available()) {
            return new KernelLocks(List.of(), List.of());
        }
        try {
            List<String> mounts = Files.isReadable(MOUNTINFO) ? Files.readAllLines(MOUNTINFO) : List.of();
            return new KernelLocks(Files.readAllLines(PROC_LOCKS), mounts);
        } catch (IOException e) {
            return new KernelLocks(List.of(), List.of());
        }
    }

    /**
     * The pid holding a granted lock on {@code file} (a real path), {@code -1} for a lock whose pid the kernel
     * does not report (an OFD lock), or empty when the file is not locked (or this is not Linux).
     */
    public OptionalLong holderOf(Path file) {
        if (locks.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long ino = ((Number) Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
            long dev = ((Number) Files.getAttribute(file, "unix:dev", LinkOption.NOFOLLOW_LINKS)).longValue();
            OptionalLong byStat = holderPid(locks, major(dev), minor(dev), ino);
            if (byStat.isPresent()) {
                return byStat;
            }
            String[] mount = MountInfo.of(file, mounts).map(MountInfo::device).orElse("").split(":");
            return mount.length == 2 ? holderPid(locks, Long.parseLong(mount[0]), Long.parseLong(mount[1]), ino)
                    : OptionalLong.empty();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return OptionalLong.empty();
        }
    }

    static OptionalLong holderPid(List<String> procLocks, long major, long minor, long ino) {
        for (String line : procLocks) {
            String[] f = line.trim().split("\\s+");
            // "1: FLOCK  ADVISORY  WRITE 4242 fd:01:123456 0 EOF"; blocked waiters carry "->" after the id.
            if (f.length < 6 || f[1].equals("->")) {
                continue;
            }
            String[] id = f[5].split(":");
            if (id.length == 3 && Long.parseLong(id[2]) == ino && Long.parseLong(id[0], 16) == major
                    && Long.parseLong(id[1], 16) == minor) {
                return OptionalLong.of(Long.parseLong(f[4]));
            }
        }
        return OptionalLong.empty();
    }

    // glibc's gnu_dev_major / gnu_dev_minor
    static long major(long dev) {
        return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
    }

    static long minor(long dev) {
        return (dev & 0xff) | ((dev >>> 12) & ~0xffL);
    }
}
