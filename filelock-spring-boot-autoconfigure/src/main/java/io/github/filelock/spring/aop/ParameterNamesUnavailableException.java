package io.github.filelock.spring.aop;

/**
 * A key refers to parameters by name, but the class was compiled without {@code -parameters}, so every call
 * would see the name as null. Its own type, because its fix is a build setting, not the key.
 */
final class ParameterNamesUnavailableException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    ParameterNamesUnavailableException(String message) {
        super(message);
    }
}
