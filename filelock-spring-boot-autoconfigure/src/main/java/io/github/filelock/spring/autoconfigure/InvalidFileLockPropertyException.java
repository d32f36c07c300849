package io.github.filelock.spring.autoconfigure;

import io.github.filelock.spring.FileLockSetupException;
import org.jspecify.annotations.Nullable;

/** A {@code filelock.*} property whose value cannot be used; start-up fails with it. */
public class InvalidFileLockPropertyException extends FileLockSetupException {

    private static final long serialVersionUID = 1L;

    private final String property;

    public InvalidFileLockPropertyException(String property, Object value, String problem, String action,
            @Nullable Throwable cause) {
        super("Invalid value '" + value + "' for " + property + ": " + problem, action, cause);
        this.property = property;
    }

    public String property() {
        return property;
    }
}
