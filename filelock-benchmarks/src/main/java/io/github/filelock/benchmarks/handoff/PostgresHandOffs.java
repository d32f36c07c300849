package io.github.filelock.benchmarks.handoff;

import io.github.filelock.benchmarks.LatencyStats;

/**
 * The PostgreSQL hand-offs of one run: the bare advisory lock (the server's wake-up floor) and Spring Integration's
 * polling {@code JdbcLockRegistry}, on the same server. {@code registry} is the starter's postgres type, null while
 * the suite runs without it.
 */
public record PostgresHandOffs(LatencyStats registry, LatencyStats bare, LatencyStats jdbcLockRegistry) {
}
