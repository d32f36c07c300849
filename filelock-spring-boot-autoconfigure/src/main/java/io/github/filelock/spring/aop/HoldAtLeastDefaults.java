package io.github.filelock.spring.aop;

import java.time.Duration;

/** The minimum hold time of a lock name whose annotation gives none ({@code filelock.locks.<name>.hold-at-least}). */
@FunctionalInterface
public interface HoldAtLeastDefaults {

    /** The minimum, {@link Duration#ZERO} for none. */
    Duration holdAtLeastFor(String name);
}
