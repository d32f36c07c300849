/**
 * The benchmark suite and its cross-process harnesses (not published).
 */
@NullMarked
package io.github.filelock.benchmarks;

import org.jspecify.annotations.NullMarked;
