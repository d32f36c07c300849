/**
 * JMH benchmarks of acquire and release.
 */
@NullMarked
package io.github.filelock.benchmarks.jmh;

import org.jspecify.annotations.NullMarked;
