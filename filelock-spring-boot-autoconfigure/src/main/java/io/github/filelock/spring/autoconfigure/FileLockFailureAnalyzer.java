package io.github.filelock.spring.autoconfigure;

import io.github.filelock.spring.FileLockSetupException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports filelock start-up mistakes (a bad {@code @FileLocked} method, an unusable {@code filelock.*}
 * property) as Spring Boot's "APPLICATION FAILED TO START" Description and Action, instead of a stack trace.
 */
public final class FileLockFailureAnalyzer extends AbstractFailureAnalyzer<FileLockSetupException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, FileLockSetupException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
