package io.github.filelock.benchmarks.handoff;

import io.github.filelock.benchmarks.LatencyStats;

/**
 * The PostgreSQL hand-offs of one run, on the same server: the starter's postgres type ({@code registry}), the bare
 * advisory lock (the server's wake-up floor) and Spring Integration's polling {@code JdbcLockRegistry}.
 */
public record PostgresHandOffs(LatencyStats registry, LatencyStats bare, LatencyStats jdbcLockRegistry) {
}
