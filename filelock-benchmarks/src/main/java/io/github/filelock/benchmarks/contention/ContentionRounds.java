package io.github.filelock.benchmarks.contention;

/**
 * The two rounds of one contention run: {@code first} in processes that have just started (JVMs still loading and
 * compiling the path), {@code second} in the same processes right after, warm.
 */
public record ContentionRounds(ContentionResult first, ContentionResult second) {
}
