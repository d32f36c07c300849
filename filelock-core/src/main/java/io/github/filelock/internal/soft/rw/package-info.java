/**
 * Read/write soft locks: the marker tree of Python filelock's {@code SoftReadWriteLock}; not API.
 */
@NullMarked
package io.github.filelock.internal.soft.rw;

import org.jspecify.annotations.NullMarked;
