package io.github.filelock.internal;

/** The library's one logger, {@code io.github.filelock}, for the engine and every backend. */
public final class Log {

    public static final System.Logger LOGGER = System.getLogger("io.github.filelock");

    private Log() {
    }
}
