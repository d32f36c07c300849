package io.github.filelock.spring.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import io.github.filelock.spring.FileLockRegistries;
import io.github.filelock.spring.actuate.FileLockHealthAutoConfiguration;
import io.github.filelock.spring.actuate.FileLockHealthIndicator;
import io.github.filelock.spring.autoconfigure.FileLockAutoConfiguration;
import io.github.filelock.spring.autoconfigure.FileLockFailureAnalyzer;
import io.github.filelock.test.postgres.PostgresTestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code filelock.type=postgres} and {@code filelock.locks.<name>.type=postgres} against the real server: where the
 * settings come from, what fails start-up and how it is explained, and that the lock sessions are the backend's own.
 */
class PostgresLockTypeTests {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        FileLockPostgresAutoConfiguration.class, FileLockAutoConfiguration.class))
                .withPropertyValues("filelock.dir=" + dir);
    }

    private static String[] serverProperties(String prefix) {
        PostgresTestServer server = PostgresTestServer.get();
        List<String> values = new ArrayList<>(List.of(prefix + ".url=" + server.url()));
        if (server.user() != null) {
            values.add(prefix + ".username=" + server.user());
        }
        if (server.password() != null) {
            values.add(prefix + ".password=" + server.password());
        }
        return values.toArray(String[]::new);
    }

    private static FailureAnalysis analysis(Throwable failure) {
        FailureAnalysis analysis = new FileLockFailureAnalyzer().analyze(failure);
        assertThat(analysis).as("a failure analysis, not a stack trace: " + failure).isNotNull();
        return analysis;
    }

    @Test
    void noUrlFailsStartUpNamingTheProperties() {
        runner().withPropertyValues("filelock.type=postgres").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = analysis(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("filelock.postgres.url", "filelock.type=postgres",
                    "spring.datasource.url");
            assertThat(analysis.getAction()).contains("filelock.postgres.url=jdbc:postgresql://");
        });
    }

    @Test
    void unreachableServerFailsStartUpWithTheUrlAndNoPassword() {
        runner().withPropertyValues("filelock.type=postgres",
                        "filelock.postgres.url=jdbc:postgresql://127.0.0.1:1/nothing?password=secret")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = analysis(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("filelock.postgres.url",
                            "jdbc:postgresql://127.0.0.1:1/nothing", "Cannot connect").doesNotContain("secret");
                    assertThat(analysis.getAction()).contains("PostgreSQL 11 or later", "filelock.type");
                });
    }

    @Test
    void aDataSourceThatIsNotPostgresqlFailsStartUpNamingIt() {
        runner().withPropertyValues("filelock.locks.report.type=postgres", "spring.datasource.url=jdbc:h2:mem:locks")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = analysis(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("spring.datasource.url", "jdbc:h2:mem:locks",
                            "not a PostgreSQL JDBC URL");
                    assertThat(analysis.getAction()).contains("filelock.postgres.url");
                });
    }

    @Test
    void badPoolSizeFailsStartUpNamingItsProperty() {
        runner().withPropertyValues(serverProperties("filelock.postgres"))
                .withPropertyValues("filelock.type=postgres", "filelock.postgres.max-connections=0")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(analysis(context.getStartupFailure()).getDescription())
                            .contains("filelock.postgres.max-connections");
                });
    }

    @Test
    void theUrlAndCredentialsDefaultToTheDataSourcesAndTheLockSessionsAreTheBackendsOwn() {
        PostgresTestServer server = PostgresTestServer.get();
        runner().withPropertyValues(serverProperties("spring.datasource"))
                .withPropertyValues("filelock.type=postgres", "filelock.postgres.namespace=" + server.namespace())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    FileLockRegistry registry = context.getBean(FileLockRegistry.class);
                    assertThat(registry.type()).isEqualTo(LockType.POSTGRES);
                    assertThat(context.getBean(FileLockRegistries.class).location(registry))
                            .startsWith(server.url().replaceFirst("\\?.*", ""));
                    HikariDataSource dataSource = context.getBean(HikariDataSource.class);
                    try (FileLockHold hold = registry.acquire("own-sessions", Duration.ofSeconds(30))) {
                        assertThat(lockSessionsOfThisJvmHolding("own-sessions"))
                                .as("a lock session named after this JVM")
                                .isEqualTo(1);
                        assertThat(dataSource.getHikariPoolMXBean() == null
                                || dataSource.getHikariPoolMXBean().getTotalConnections() == 0)
                                .as("the application's pool was not used").isTrue();
                    }
                });
    }

    @Test
    void onlyTheNamesTypedPostgresLockThroughTheServer() {
        runner().withPropertyValues(serverProperties("filelock.postgres"))
                .withPropertyValues("filelock.locks.report.type=postgres",
                        "filelock.postgres.namespace=" + PostgresTestServer.NAMESPACE)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    FileLockRegistries registries = context.getBean(FileLockRegistries.class);
                    assertThat(registries.main().type()).isEqualTo(LockType.FLOCK);
                    assertThat(registries.registryFor("report").type()).isEqualTo(LockType.POSTGRES);
                    assertThat(registries.registryFor("other").type()).isEqualTo(LockType.FLOCK);
                    assertThat(registries.all()).hasSize(2);
                    assertThat(registries.locationOf(registries.registryFor("report"), "report"))
                            .startsWith("advisory key ");
                });
    }

    @Test
    void theBoundsEveryRegistryTakesApplyToPostgresToo() {
        runner().withPropertyValues(serverProperties("filelock.postgres"))
                .withPropertyValues("filelock.type=postgres", "filelock.max-wait-threads=0").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(analysis(context.getStartupFailure()).getDescription())
                            .contains("filelock.max-wait-threads");
                });
    }

    @Test
    void perNameFileTypesThatShareOneLockSpaceShareOneRegistryBesideAPostgresMain() {
        runner().withPropertyValues(serverProperties("filelock.postgres"))
                .withPropertyValues("filelock.type=postgres",
                        "filelock.postgres.namespace=" + PostgresTestServer.NAMESPACE, "filelock.locks.a.type=flock",
                        "filelock.locks.b.type=auto")
                .run(context -> {
                    FileLockRegistries registries = context.getBean(FileLockRegistries.class);
                    assertThat(registries.registryFor("b")).as("AUTO found flock: the flock registry serves it")
                            .isSameAs(registries.registryFor("a"));
                    assertThat(registries.all()).as("postgres and one flock registry, so no hold is listed twice")
                            .hasSize(2);
                });
    }

    @Test
    void healthIsOutOfServiceWhileAPostgresOnlyApplicationDrains() {
        runner().withConfiguration(AutoConfigurations.of(FileLockHealthAutoConfiguration.class))
                .withPropertyValues(serverProperties("filelock.postgres"))
                .withPropertyValues("filelock.type=postgres",
                        "filelock.postgres.namespace=" + PostgresTestServer.NAMESPACE)
                .run(context -> {
                    FileLockHealthIndicator health = context.getBean(FileLockHealthIndicator.class);
                    assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
                    context.getBean(FileLockRegistry.class).drain(); // what the shutdown lifecycle does first
                    Health draining = health.health(true);
                    assertThat(draining.getStatus()).as("no lock files, yet shutting down")
                            .isEqualTo(Status.OUT_OF_SERVICE);
                    assertThat(draining.getDetails()).containsEntry("draining", true);
                });
    }

    @Test
    void withTheModulePresentAndNoPostgresNameNothingConnects() {
        runner().withPropertyValues("filelock.postgres.url=jdbc:postgresql://127.0.0.1:1/never").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(FileLockRegistry.class).type()).isEqualTo(LockType.FLOCK);
            assertThat(context.getBean(PostgresLockType.class).backend()).isNull();
        });
    }

    private static int lockSessionsOfThisJvmHolding(String name) throws Exception {
        PostgresTestServer server = PostgresTestServer.get();
        try (Connection c = server.connect("filelock-test-observer");
             PreparedStatement st = c.prepareStatement("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a"
                     + " USING (pid) WHERE l.locktype = 'advisory' AND l.granted AND a.application_name LIKE ?"
                     + " AND (l.classid::bigint << 32 | l.objid::bigint) = " + server.keySql(name))) {
            st.setString(1, "filelock pid=" + ProcessHandle.current().pid() + " %");
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
