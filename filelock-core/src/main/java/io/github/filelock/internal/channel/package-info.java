/**
 * The file-channel backend: FileChannel locks (fcntl record locks on POSIX, LockFileEx on Windows); not API.
 */
@NullMarked
package io.github.filelock.internal.channel;

import org.jspecify.annotations.NullMarked;
