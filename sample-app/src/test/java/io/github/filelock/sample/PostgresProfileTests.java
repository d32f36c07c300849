package io.github.filelock.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import io.github.filelock.test.postgres.PostgresTestServer;
import io.github.filelock.test.postgres.Psql;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample's postgres profile starts against the real server (application-postgres.yml, with the run's server and
 * namespace in place of the defaults), and its locks are the ones psql sees through the documented key.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"sample.embeddings-build-time=100ms", "sample.reindex-time=50ms", "sample.sync-cron=-",
                "sample.sync-hold-at-least=0"})
@ActiveProfiles("postgres")
class PostgresProfileTests {

    @TempDir
    static Path tmp;

    @DynamicPropertySource
    static void server(DynamicPropertyRegistry registry) {
        PostgresTestServer server = PostgresTestServer.get();
        registry.add("filelock.postgres.url", server::url);
        if (server.user() != null) {
            registry.add("filelock.postgres.username", server::user);
        }
        if (server.password() != null) {
            registry.add("filelock.postgres.password", server::password);
        }
        registry.add("filelock.postgres.namespace", server::namespace);
        registry.add("filelock.dir", () -> tmp.resolve("locks").toString());
        registry.add("sample.data-dir", () -> tmp.resolve("data").toString());
    }

    @Autowired
    Environment environment;

    @Autowired
    FileLockRegistry locks;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void locksLiveInPostgresqlAndPsqlSeesThem() throws Exception {
        assertThat(environment.getProperty("filelock.type")).isEqualTo("postgres");
        assertThat(locks.type()).isEqualTo(LockType.POSTGRES);
        assertThat(send("POST", "/embeddings/rebuild")).contains("\"action\":\"built\"");
        assertThat(send("POST", "/sync")).contains("ran at");

        String key = PostgresTestServer.get().keySql("periodic-sync");
        try (Psql psql = Psql.session()) {
            psql.send("SELECT pg_advisory_lock(" + key + ");");
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!locks.diagnostics().inspect("periodic-sync").isHeld()) {
                assertThat(System.nanoTime()).as("psql takes the sync's lock").isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(send("POST", "/sync")).contains("skipped: another instance holds the lock");
        }
        assertThat(send("GET", "/actuator/health")).containsPattern("\"fileLockDatabase\":\\{[^}]*\"sessionsInUse\":0,")
                .containsPattern("\"fileLockDatabase\":\\{.*?\\},\"status\":\"UP\"");
    }

    private String send(String method, String path) throws Exception {
        int port = environment.getRequiredProperty("local.server.port", Integer.class);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }
}
