package io.github.filelock.internal.posix;

import java.util.Locale;

/** The open(2) flag values and errno numbers that differ between kernels, and even between Linux architectures. */
public record Platform(String name, int rdonly, int wronly, int rdwr, int create, int excl, int noFollow,
        int nonBlock, int closeOnExec, boolean linux) {

    private static final Platform CURRENT = detect();

    /** The platform this JVM runs on, or {@code null} when the native backends do not support it. */
    public static Platform current() {
        return CURRENT;
    }

    private static Platform detect() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (os.contains("linux")) {
            if (arch.equals("amd64") || arch.equals("x86_64")) {
                return new Platform("linux-x86_64", 0, 01, 02, 0100, 0200, 0400000, 04000, 02000000, true);
            }
            if (arch.equals("aarch64") || arch.equals("arm64")) {
                return new Platform("linux-aarch64", 0, 01, 02, 0100, 0200, 0100000, 04000, 02000000, true);
            }
            return null;
        }
        if (os.contains("mac") || os.contains("darwin")) {
            return new Platform("darwin", 0, 0x1, 0x2, 0x200, 0x800, 0x100, 0x4, 0x1000000, false);
        }
        return null;
    }

    public int ewouldblock() {
        return linux ? Errno.EWOULDBLOCK_LINUX : Errno.EWOULDBLOCK_DARWIN;
    }

    public int eloop() {
        return linux ? Errno.ELOOP_LINUX : Errno.ELOOP_DARWIN;
    }
}
