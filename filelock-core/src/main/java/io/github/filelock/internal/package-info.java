/**
 * The engine behind {@link io.github.filelock.FileLockRegistry}; not API, it may change in any release.
 */
@NullMarked
package io.github.filelock.internal;

import org.jspecify.annotations.NullMarked;
