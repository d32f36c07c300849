/**
 * A Spring Integration {@code LockRegistry} on a filelock registry.
 */
@NullMarked
package io.github.filelock.integration;

import org.jspecify.annotations.NullMarked;
