/**
 * Micrometer meters and observations for {@code @FileLocked}, with their auto-configuration.
 */
@NullMarked
package io.github.filelock.spring.metrics;

import org.jspecify.annotations.NullMarked;
