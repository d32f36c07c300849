package io.github.filelock.benchmarks.handoff;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.postgres.PostgresLockBackend;
import io.github.filelock.postgres.PostgresSettings;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.locks.Lock;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The PostgreSQL locks of the hand-off: the starter's postgres registry, and its baselines: a bare session advisory
 * lock over one JDBC connection (the server's own
 * wake-up, the floor for any advisory-lock hand-off), and Spring Integration's {@code JdbcLockRegistry}, which keeps
 * a TTL row per lock and polls for it (every 100 ms by default).
 */
public final class PostgresLocks {

    /** Where the benchmark finds the server: the same variable the tests read. */
    static final String URL_VARIABLE = "FILELOCK_TEST_POSTGRES_URL";

    private PostgresLocks() {
    }

    /** The server's JDBC URL, from {@value #URL_VARIABLE} (or {@code -Dfilelock.test.postgres.url}). */
    public static String url() {
        String url = System.getProperty("filelock.test.postgres.url", System.getenv(URL_VARIABLE));
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("The postgres hand-off needs a server: set " + URL_VARIABLE
                    + " (e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres), or run with postgres=false");
        }
        return url;
    }

    /** {@code pg_advisory_lock} and {@code pg_advisory_unlock} on one connection, blocking in the server. */
    static JavaHandOffPeer.PingPongLock bare(String lockName) {
        try {
            Connection connection = DriverManager.getConnection(url());
            PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_lock(?)");
            PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)");
            long key = PostgresLockBackend.advisoryKey("", lockName);
            lock.setLong(1, key);
            unlock.setLong(1, key);
            return new JavaHandOffPeer.PingPongLock() {
                @Override
                public void lock() {
                    run(lock);
                }

                @Override
                public void unlock() {
                    run(unlock);
                }

                @Override
                public void close() {
                    try {
                        connection.close();
                    } catch (SQLException e) {
                        throw new IllegalStateException("closing the bare advisory-lock connection failed", e);
                    }
                }
            };
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect for the bare advisory lock: " + e.getMessage(), e);
        }
    }

    private static void run(PreparedStatement statement) {
        try {
            statement.executeQuery().close();
        } catch (SQLException e) {
            throw new IllegalStateException("advisory lock call failed", e);
        }
    }

    /**
     * The starter's postgres type: a {@code FileLockRegistry} on {@code PostgresLockBackend} with its defaults, lock
     * {@code name} in {@code namespace}; the engine's wait thread blocks in {@code pg_advisory_lock}.
     */
    static JavaHandOffPeer.PingPongLock registry(String namespace, String name) {
        FileLockRegistry locks;
        try {
            locks = FileLockRegistry.builder(PostgresLockBackend.open(
                    PostgresSettings.builder(url()).namespace(namespace).build())).build();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot open the postgres lock backend: " + e.getMessage(), e);
        }
        return new JavaHandOffPeer.PingPongLock() {
            private FileLockHold hold;

            @Override
            public void lock() {
                hold = locks.acquire(name, Duration.ofSeconds(60));
            }

            @Override
            public void unlock() {
                hold.close();
            }

            @Override
            public void close() {
                locks.close();
            }
        };
    }

    /** Spring Integration's {@code JdbcLockRegistry} with its defaults, in a region of this run's own. */
    static JavaHandOffPeer.PingPongLock jdbcLockRegistry(String lockName, String region) {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(url());
        createLockTable(dataSource);
        DefaultLockRepository repository = new DefaultLockRepository(dataSource, UUID.randomUUID().toString());
        repository.setRegion(region);
        repository.setTransactionManager(new DataSourceTransactionManager(dataSource));
        repository.afterPropertiesSet();
        repository.afterSingletonsInstantiated();
        JdbcLockRegistry registry = new JdbcLockRegistry(repository, Duration.ofSeconds(60));
        Lock lock = registry.obtain(lockName);
        return new JavaHandOffPeer.PingPongLock() {
            @Override
            public void lock() {
                lock.lock();
            }

            @Override
            public void unlock() {
                lock.unlock();
            }

            @Override
            public void close() {
                repository.close();
            }
        };
    }

    // The table of spring-integration-jdbc's schema-postgresql.sql, created once per database.
    private static void createLockTable(DriverManagerDataSource dataSource) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS INT_LOCK (LOCK_KEY CHAR(36) NOT NULL,"
                    + " REGION VARCHAR(100) NOT NULL, CLIENT_ID CHAR(36), CREATED_DATE TIMESTAMP NOT NULL,"
                    + " EXPIRED_AFTER TIMESTAMP NOT NULL, CONSTRAINT INT_LOCK_PK PRIMARY KEY (LOCK_KEY, REGION))");
        } catch (SQLException e) {
            // two peers create it at once: one of them loses the race on the catalog, and the table exists
            if (!"23505".equals(e.getSQLState()) && !"42P07".equals(e.getSQLState())) {
                throw new IllegalStateException("Cannot create INT_LOCK for JdbcLockRegistry: " + e.getMessage(), e);
            }
        }
    }
}
