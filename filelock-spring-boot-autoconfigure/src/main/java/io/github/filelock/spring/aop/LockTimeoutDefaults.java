package io.github.filelock.spring.aop;

import java.time.Duration;

/**
 * The timeout for a lock name whose annotation gives none ({@code filelock.locks.<name>.timeout}, else the default).
 */
@FunctionalInterface
public interface LockTimeoutDefaults {

    Duration timeoutFor(String name);
}
