/**
 * JUnit 5 test support: a lock held by another process, and assertions on locks.
 */
@NullMarked
package io.github.filelock.test;

import org.jspecify.annotations.NullMarked;
