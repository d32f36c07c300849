/**
 * Soft locks: marker files in Python filelock's formats; not API.
 */
@NullMarked
package io.github.filelock.internal.soft;

import org.jspecify.annotations.NullMarked;
