/**
 * The slow-wait log and its auto-configuration.
 */
@NullMarked
package io.github.filelock.spring.logging;

import org.jspecify.annotations.NullMarked;
