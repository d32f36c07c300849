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
 */
public final class KernelLocks {

    private static final Path PROC_LOCKS = Path.of("/proc/locks");

    private KernelLocks() {
    }

    public static boolean available() {
        return Files.isReadable(PROC_LOCKS);
    }

    /**
     * The pid holding a granted lock on {@code file}, {@code -1} for a lock whose pid the kernel does not
     * report (an OFD lock), or empty when the file is not locked (or this is not Linux).
     */
    public static OptionalLong holderPid(Path file) {
        if (!available()) {
            return OptionalLong.empty();
        }
        try {
            long ino = ((Number) Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
            long dev = ((Number) Files.getAttribute(file, "unix:dev", LinkOption.NOFOLLOW_LINKS)).longValue();
            return holderPid(Files.readAllLines(PROC_LOCKS), major(dev), minor(dev), ino);
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
