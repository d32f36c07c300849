package io.github.filelock.internal.os;

import java.util.Locale;

/** The open(2) flag values, which differ between kernels and even between Linux architectures. */
record Platform(String name, int rdwr, int create, int excl, int noFollow, int nonBlock, int closeOnExec,
        boolean linux) {

    static final int O_RDONLY = 0;

    /** The platform this JVM runs on, or {@code null} when the flock mechanism does not support it. */
    static Platform current() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (os.contains("linux")) {
            if (arch.equals("amd64") || arch.equals("x86_64")) {
                return new Platform("linux-x86_64", 02, 0100, 0200, 0400000, 04000, 02000000, true);
            }
            if (arch.equals("aarch64") || arch.equals("arm64")) {
                return new Platform("linux-aarch64", 02, 0100, 0200, 0100000, 04000, 02000000, true);
            }
            return null;
        }
        if (os.contains("mac") || os.contains("darwin")) {
            return new Platform("darwin", 0x2, 0x200, 0x800, 0x100, 0x4, 0x1000000, false);
        }
        return null;
    }

    int ewouldblock() {
        return linux ? LibC.EWOULDBLOCK_LINUX : LibC.EWOULDBLOCK_DARWIN;
    }

    int eloop() {
        return linux ? LibC.ELOOP_LINUX : LibC.ELOOP_DARWIN;
    }
}
