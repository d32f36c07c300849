/**
 * The benchmark report.
 */
@NullMarked
package io.github.filelock.benchmarks.report;

import org.jspecify.annotations.NullMarked;
