/**
 * Many distinct lock names.
 */
@NullMarked
package io.github.filelock.benchmarks.names;

import org.jspecify.annotations.NullMarked;
