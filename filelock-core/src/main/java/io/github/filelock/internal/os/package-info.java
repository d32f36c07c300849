/**
 * Kernel lock files (flock(2) through JNA, FileChannel); not API.
 */
@NullMarked
package io.github.filelock.internal.os;

import org.jspecify.annotations.NullMarked;
