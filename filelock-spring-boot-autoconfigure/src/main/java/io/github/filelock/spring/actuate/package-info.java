/**
 * The {@code locks} actuator endpoint and the {@code fileLock} health indicator, with their auto-configuration.
 */
@NullMarked
package io.github.filelock.spring.actuate;

import org.jspecify.annotations.NullMarked;
