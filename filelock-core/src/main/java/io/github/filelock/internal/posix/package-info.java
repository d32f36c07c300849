/**
 * The one POSIX binding (libc through JNA, errno, open flags, statx, C paths) the file backends share; not API.
 */
@NullMarked
package io.github.filelock.internal.posix;

import org.jspecify.annotations.NullMarked;
