/**
 * The flock backend: flock(2) on lock files through JNA; not API.
 */
@NullMarked
package io.github.filelock.internal.flock;

import org.jspecify.annotations.NullMarked;
