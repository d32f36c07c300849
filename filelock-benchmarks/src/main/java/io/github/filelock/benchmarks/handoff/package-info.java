/**
 * Two processes handing one lock back and forth.
 */
@NullMarked
package io.github.filelock.benchmarks.handoff;

import org.jspecify.annotations.NullMarked;
