/**
 * Listeners that hear each {@code @FileLocked} call's wait and hold: the seam for metrics, observations and logging.
 */
@NullMarked
package io.github.filelock.spring.listener;

import org.jspecify.annotations.NullMarked;
