/**
 * The core API: {@link io.github.filelock.FileLockRegistry} hands out named, cross-process file locks; plain Java, no
 * Spring.
 */
@NullMarked
package io.github.filelock;

import org.jspecify.annotations.NullMarked;
