package io.github.filelock.spring;

import org.jspecify.annotations.Nullable;

/**
 * A configuration mistake found while the application starts. Its message is the problem; {@link #action()}
 * says how to fix it. {@code FileLockFailureAnalyzer} turns it into Spring Boot's "Description / Action"
 * report.
 */
public abstract class FileLockSetupException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String action;

    protected FileLockSetupException(String message, String action, @Nullable Throwable cause) {
        super(message, cause);
        this.action = action;
    }

    /** What the user should change. */
    public String action() {
        return action;
    }
}
