/**
 * {@code @FileLocked} through the Spring proxy, with and without Micrometer.
 */
@NullMarked
package io.github.filelock.benchmarks.spring;

import org.jspecify.annotations.NullMarked;
