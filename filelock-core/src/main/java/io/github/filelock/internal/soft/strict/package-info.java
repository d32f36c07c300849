/**
 * Strict soft locks: Python filelock's {@code StrictSoftFileLock} protocol (a permanent sentinel at the lock path,
 * owner claims published by hard link under {@code <path>.filelock/claims}); not API.
 */
@NullMarked
package io.github.filelock.internal.soft.strict;

import org.jspecify.annotations.NullMarked;
