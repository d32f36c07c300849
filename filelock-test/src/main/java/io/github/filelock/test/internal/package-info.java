/**
 * The child process behind the test support; not API.
 */
@NullMarked
package io.github.filelock.test.internal;

import org.jspecify.annotations.NullMarked;
