/**
 * A ShedLock {@code LockProvider} on filelock registries.
 */
@NullMarked
package io.github.filelock.shedlock;

import org.jspecify.annotations.NullMarked;
