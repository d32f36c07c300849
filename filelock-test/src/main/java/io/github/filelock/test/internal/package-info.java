/**
 * The child process behind the test support, how the test servers find the run's server, and the helpers the
 * backend modules' own tests share (a black-hole proxy, a child's arguments and command loop); not API.
 */
@NullMarked
package io.github.filelock.test.internal;

import org.jspecify.annotations.NullMarked;
