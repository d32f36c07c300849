package io.github.filelock.internal.soft;

import io.github.filelock.internal.FileSettings;
import io.github.filelock.internal.posix.LibC;
import io.github.filelock.internal.posix.Platform;

/** What every soft type needs before its backend is built: Linux, libc through JNA, and lock files that are kept. */
public final class SoftPlatform {

    private SoftPlatform() {
    }

    /**
     * @param type the type's id, for messages ({@code soft}, {@code soft-lease}, ...)
     * @param needs the system calls it relies on, for the message on another platform
     * @param keepFiles why it cannot delete idle lock files
     * @throws UnsupportedOperationException naming the platform when the type is not supported here
     * @throws IllegalStateException when {@code settings} ask to delete idle lock files
     */
    public static void require(String type, String needs, FileSettings settings, String keepFiles) {
        Platform platform = Platform.current();
        if (platform == null || !platform.linux()) {
            throw new UnsupportedOperationException(type + " locks need Linux (" + needs + ") on x86_64 or aarch64,"
                    + " not " + System.getProperty("os.name") + " on " + System.getProperty("os.arch"));
        }
        try {
            LibC.load();
        } catch (LinkageError e) {
            throw new UnsupportedOperationException("JNA could not load libc: " + e, e);
        }
        if (settings.deleteIdleFiles()) {
            throw new IllegalStateException("deleteIdleLockFiles cannot be used with " + type + " locks: " + keepFiles
                    + ". Keep lock files (the default).");
        }
    }
}
