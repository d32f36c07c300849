/**
 * Many processes and threads counting under one lock.
 */
@NullMarked
package io.github.filelock.benchmarks.contention;

import org.jspecify.annotations.NullMarked;
