/**
 * The backend SPI: what a lock mechanism implements to run behind the engine.
 * {@link io.github.filelock.spi.LockBackend}
 * opens {@link io.github.filelock.spi.LockSlot}s; the engine does the rest. The file backends (flock, FileChannel, soft
 * markers) live in the core, other backends (PostgreSQL) in their own modules.
 */
@NullMarked
package io.github.filelock.spi;

import org.jspecify.annotations.NullMarked;
