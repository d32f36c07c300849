package io.github.filelock.benchmarks.jmh;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.benchmarks.handoff.PostgresLocks;
import io.github.filelock.postgres.PostgresLockBackend;
import io.github.filelock.postgres.PostgresSettings;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One thread, one name, nobody else, on the PostgreSQL server that {@code FILELOCK_TEST_POSTGRES_URL} names: the
 * registry's {@code acquire}+{@code close} on the postgres backend against a bare {@code pg_advisory_lock} +
 * {@code pg_advisory_unlock} round-trip pair on one open connection (another key, so the two never contend).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PostgresLockBenchmark {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String NAME = "bench";

    private FileLockRegistry registry;
    private Connection connection;
    private PreparedStatement lock;
    private PreparedStatement unlock;

    @Setup
    public void setUp() throws IOException, SQLException {
        String namespace = "filelock-jmh-" + UUID.randomUUID().toString().substring(0, 8);
        registry = FileLockRegistry.builder(PostgresLockBackend.open(
                PostgresSettings.builder(PostgresLocks.url()).namespace(namespace).build())).build();
        connection = DriverManager.getConnection(PostgresLocks.url());
        lock = connection.prepareStatement("SELECT pg_advisory_lock(?)");
        unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)");
        long key = PostgresLockBackend.advisoryKey(namespace, "bare");
        lock.setLong(1, key);
        unlock.setLong(1, key);
    }

    @TearDown
    public void tearDown() throws SQLException {
        registry.close();
        connection.close();
    }

    /** Baseline: pg_advisory_lock + pg_advisory_unlock, two round trips on a connection that is already open. */
    @Benchmark
    public void bareAdvisoryPair() throws SQLException {
        lock.executeQuery().close();
        unlock.executeQuery().close();
    }

    @Benchmark
    public void registryAcquireClose() {
        try (FileLockHold hold = registry.acquire(NAME, TIMEOUT)) {
            // the lock is the work
        }
    }
}
