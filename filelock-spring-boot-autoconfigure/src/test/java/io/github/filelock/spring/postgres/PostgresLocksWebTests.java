package io.github.filelock.spring.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.OnTimeout;
import io.github.filelock.test.postgres.PostgresTestServer;
import io.github.filelock.test.postgres.Psql;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An application with {@code filelock.type=postgres} on a real server, called through a real web server: psql holds
 * the documented key while {@code @FileLocked} methods skip or hold; {@code /actuator/locks},
 * {@code /actuator/health} and {@code /actuator/metrics} report the postgres names as they report flock ones.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = PostgresLocksWebTests.App.class, properties = {
                "management.endpoints.web.exposure.include=locks,health,metrics",
                "management.endpoint.health.show-details=always", "spring.main.banner-mode=off",
                "filelock.type=postgres", "filelock.postgres.keepalive=1s",
                "management.endpoint.locks.access=unrestricted" })
class PostgresLocksWebTests {

    @DynamicPropertySource
    static void server(DynamicPropertyRegistry registry) throws Exception {
        PostgresTestServer server = PostgresTestServer.get();
        registry.add("filelock.postgres.url", server::url);
        if (server.user() != null) {
            registry.add("filelock.postgres.username", server::user);
        }
        if (server.password() != null) {
            registry.add("filelock.postgres.password", server::password);
        }
        registry.add("filelock.postgres.namespace", server::namespace);
        // postgres only: no lock file is made, but the directory must be a private one should a test type a name flock
        Path dir = Files.createTempDirectory("filelock-pg-web");
        registry.add("filelock.dir", dir::toString);
    }

    @LocalServerPort
    int port;

    @Autowired
    Nightly nightly;

    @Autowired
    Report report;

    @Autowired
    FileLockRegistry registry;

    private final HttpClient http = HttpClient.newHttpClient();
    private final PostgresTestServer server = PostgresTestServer.get();

    @Test
    void aSkippingMethodSkipsWhilePsqlHoldsTheDocumentedKeyAndRunsOnceItIsReleased() throws Exception {
        assertThat(registry.type()).isEqualTo(LockType.POSTGRES);
        try (Psql psql = Psql.session()) {
            psql.send("SELECT pg_advisory_lock(" + server.keySql("nightly") + ");");
            await("psql holds nightly", () -> registry.diagnostics().inspect("nightly").isHeld());
            assertThat(nightly.run()).as("skipped").isNull();
            assertThat(nightly.runs()).isZero();
        }
        await("psql's session ended", () -> !registry.diagnostics().inspect("nightly").isHeld());
        assertThat(nightly.run()).isEqualTo(1);
        assertThat(nightly.runs()).isEqualTo(1);
    }

    @Test
    void anOperatorBreakOfAPostgresNameIsRefusedWith400AndTheReason() throws Exception {
        try (Psql psql = Psql.session()) {
            psql.send("SELECT pg_advisory_lock(" + server.keySql("nightly") + ");");
            await("psql holds nightly", () -> registry.diagnostics().inspect("nightly").isHeld());

            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + "/actuator/locks/nightly")).DELETE().build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(JsonPath.parse(response.body()).read("$.reason", String.class))
                    .contains("'postgres' locks cannot be broken by an operator", "the database session");
            assertThat(registry.diagnostics().inspect("nightly").isHeld()).as("psql still holds it").isTrue();
        }
    }

    @Test
    void endpointHealthAndMetricsReportPostgresNames() throws Exception {
        Thread holder = new Thread(report::generate, "reporter");
        holder.start();
        try (Psql psql = Psql.session()) {
            assertThat(report.holding().await(30, TimeUnit.SECONDS)).isTrue();
            psql.send("SELECT pg_advisory_lock(" + server.keySql("nightly") + ");");
            await("psql holds nightly", () -> registry.diagnostics().inspect("nightly").isHeld());
            assertThat(nightly.run()).as("skipped, and now a name this JVM knows").isNull();
            int psqlPid = backendPidOf(Psql.APPLICATION_NAME);

            DocumentContext locks = getJson("/actuator/locks");
            assertThat(locks.read("$.type", String.class)).isEqualTo("postgres");
            assertThat(locks.read("$.directory", String.class)).startsWith("jdbc:postgresql://");
            assertThat(locks.read("$.heldByThisProcess[*].name", List.class)).containsExactly("report");
            assertThat(locks.read("$.heldByThisProcess[0].thread", String.class)).isEqualTo("reporter");
            assertThat(locks.read("$.heldByThisProcess[0].file", String.class)).startsWith("advisory key ")
                    .contains(server.namespace() + "/report");
            assertThat(locks.read("$.heldByOtherProcesses[*].name", List.class)).containsExactly("nightly");
            assertThat(locks.read("$.heldByOtherProcesses[0].holder.pid", Long.class)).isEqualTo(psqlPid);
            assertThat(locks.read("$.heldByOtherProcesses[0].holder.thread", String.class))
                    .contains(Psql.APPLICATION_NAME);

            DocumentContext one = getJson("/actuator/locks/nightly");
            assertThat(one.read("$.state", String.class)).isEqualTo("HELD_BY_OTHER_PROCESS");
            assertThat(one.read("$.holder.pid", Long.class)).isEqualTo(psqlPid);
            assertThat(getJson("/actuator/locks/report").read("$.state", String.class))
                    .isEqualTo("HELD_BY_THIS_PROCESS");

            DocumentContext health = getJson("/actuator/health");
            assertThat(health.read("$.status", String.class)).isEqualTo("UP");
            assertThat(health.read("$.components.fileLock.status", String.class)).isEqualTo("UP");
            assertThat(health.read("$.components.fileLock.details.type", String.class)).isEqualTo("postgres");
            assertThat(health.read("$.components.fileLock.details.held", Integer.class)).isEqualTo(1);
            assertThat(health.read("$.components.fileLockDatabase.status", String.class)).isEqualTo("UP");
            assertThat(health.read("$.components.fileLockDatabase.details.sessionsInUse", Integer.class))
                    .as("the held report pins one session").isGreaterThanOrEqualTo(1);
            assertThat(health.read("$.components.fileLockDatabase.details.maxConnections", Integer.class))
                    .isEqualTo(8);
            assertThat(health.read("$.components.fileLockDatabase.details.connectionBudget", Integer.class))
                    .isEqualTo(9);
        } finally {
            report.release().countDown();
            holder.join(30_000);
            report.reset();
        }
        DocumentContext holds = getJson("/actuator/metrics/filelock.hold?tag=name:report");
        assertThat(holds.read("$.measurements[?(@.statistic == 'COUNT')].value", List.class))
                .singleElement()
                .satisfies(count -> assertThat(((Number) count).doubleValue()).isGreaterThanOrEqualTo(1));
        DocumentContext waits = getJson("/actuator/metrics/filelock.wait?tag=name:nightly");
        assertThat(waits.read("$.availableTags[*].tag", List.class)).contains("outcome");
    }

    private int backendPidOf(String applicationName) throws Exception {
        try (Connection c = server.connect("filelock-test-observer");
             PreparedStatement st = c.prepareStatement("SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
            st.setString(1, applicationName);
            try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).as("a psql session").isTrue();
                return rs.getInt(1);
            }
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private DocumentContext getJson(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JsonPath.parse(response.body());
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        Nightly nightly() {
            return new Nightly();
        }

        @Bean
        Report report() {
            return new Report();
        }
    }

    static class Nightly {

        private final AtomicInteger runs = new AtomicInteger();

        @FileLocked(name = "nightly", timeout = "0", onTimeout = OnTimeout.SKIP)
        public Integer run() {
            return runs.incrementAndGet();
        }

        int runs() {
            return runs.get();
        }
    }

    static class Report {

        private volatile CountDownLatch holding = new CountDownLatch(1);
        private volatile CountDownLatch release = new CountDownLatch(1);

        @FileLocked(name = "report")
        public void generate() {
            holding.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        CountDownLatch holding() {
            return holding;
        }

        CountDownLatch release() {
            return release;
        }

        void reset() {
            holding = new CountDownLatch(1);
            release = new CountDownLatch(1);
        }
    }
}
