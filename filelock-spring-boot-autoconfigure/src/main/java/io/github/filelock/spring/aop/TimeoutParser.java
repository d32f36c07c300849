package io.github.filelock.spring.aop;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.StringValueResolver;

/**
 * Reads {@code @FileLocked(timeout = ...)}: resolves {@code ${...}} placeholders, then parses the duration
 * the way Spring Boot parses duration properties ({@code 30s}, {@code 500ms}, {@code PT30S}; a bare number
 * is milliseconds). {@code 0} means one attempt and any negative value means wait forever: the interceptor then
 * calls the registry's methods without a timeout ({@code acquire(name, mode)}), which refuses negative durations.
 */
final class TimeoutParser {

    private final @Nullable StringValueResolver placeholders;

    TimeoutParser(@Nullable StringValueResolver placeholders) {
        this.placeholders = placeholders;
    }

    /**
     * @return the timeout, or null when the attribute is empty (the per-name or default property applies)
     * @throws IllegalArgumentException naming the bad value
     */
    @Nullable Duration parse(String timeout) {
        return parse("timeout", timeout);
    }

    /** As {@link #parse(String)}, for another duration attribute ({@code attribute} names it in messages). */
    @Nullable Duration parse(String attribute, String timeout) {
        if (timeout.isBlank()) {
            return null;
        }
        String resolved;
        try {
            resolved = placeholders != null ? placeholders.resolveStringValue(timeout) : timeout;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(attribute + " '" + timeout
                    + "' has a placeholder that cannot be resolved: "
                    + e.getMessage(), e);
        }
        if (resolved != null && resolved.contains("${")) {
            // A lenient resolver (no PropertySourcesPlaceholderConfigurer) leaves unknown placeholders as they are.
            throw new IllegalArgumentException(attribute + " '" + timeout
                    + "' has a placeholder that cannot be resolved"
                    + " (no such property, and no default after ':')");
        }
        if (resolved == null || resolved.isBlank()) {
            return null;
        }
        try {
            return DurationStyle.detectAndParse(resolved.trim());
        } catch (IllegalArgumentException e) {
            String shown = resolved.equals(timeout) ? "'" + timeout + "'"
                    : "'" + timeout + "' (resolved to '" + resolved + "')";
            throw new IllegalArgumentException(attribute + " " + shown + " is not a duration", e);
        }
    }
}
