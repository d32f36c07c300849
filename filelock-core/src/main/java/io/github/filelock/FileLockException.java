package io.github.filelock;

/**
 * Base of every exception the engine throws. Unchecked, so that {@code try (FileLockHold h = ...)} stays
 * as short as a {@code synchronized} block.
 */
public class FileLockException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public FileLockException(String message) {
        super(message);
    }

    public FileLockException(String message, Throwable cause) {
        super(message, cause);
    }
}
