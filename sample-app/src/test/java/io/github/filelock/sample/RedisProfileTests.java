package io.github.filelock.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import io.github.filelock.redis.RedisLockBackend;
import io.github.filelock.redis.RedisSettings;
import io.github.filelock.test.redis.RedisTestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.config.Config;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample's redis profile against the real server (application-redis.yml, with the run's server and key prefix in
 * place of the defaults). A second registry on its own Redisson client, as a second instance of the app would run,
 * stands in for the other instance: the two exclude each other on the sample's locks, and {@code /actuator/locks} and
 * health report the redis locks.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"sample.embeddings-build-time=1500ms", "sample.reindex-time=50ms", "sample.sync-cron=-",
                "sample.sync-hold-at-least=0"})
@ActiveProfiles("redis")
class RedisProfileTests {

    @TempDir
    static Path tmp;

    @DynamicPropertySource
    static void server(DynamicPropertyRegistry registry) {
        RedisTestServer server = RedisTestServer.get();
        registry.add("spring.data.redis.url", server::url);
        registry.add("filelock.redis.prefix", server::prefix);
        registry.add("filelock.dir", () -> tmp.resolve("locks").toString());
        registry.add("sample.data-dir", () -> tmp.resolve("data").toString());
    }

    @Autowired
    Environment environment;

    @Autowired
    FileLockRegistry locks;

    /** A registry on a Redisson client of its own, on the app's keys: what a second instance of the app runs. */
    private static FileLockRegistry other;

    private final HttpClient http = HttpClient.newHttpClient();
    private final RedisTestServer server = RedisTestServer.get();

    @BeforeAll
    static void otherInstance() throws Exception {
        RedisTestServer server = RedisTestServer.get();
        Config config = new Config();
        config.useSingleServer().setAddress(server.url()).setConnectionMinimumIdleSize(1)
                .setSubscriptionConnectionMinimumIdleSize(1);
        other = FileLockRegistry.builder(RedisLockBackend.open(config,
                RedisSettings.builder().prefix(server.prefix()).build())).build();
    }

    @AfterAll
    static void closeOtherInstance() {
        if (other != null) {
            other.close();
        }
    }

    @Test
    void anotherInstanceWaitsWhileTheAppBuildsAndGetsInOnlyAfterTheBuild() throws Exception {
        assertThat(environment.getProperty("filelock.type")).isEqualTo("redis");
        assertThat(locks.type()).isEqualTo(LockType.REDIS);
        Path index = tmp.resolve("data/embeddings.index");
        assertThat(index).doesNotExist();

        CompletableFuture<String> build = CompletableFuture.supplyAsync(
                () -> send("POST", "/embeddings/rebuild"));
        await("the app holds embeddings", () -> locks.diagnostics().inspect("embeddings").isHeld());
        DocumentContext held = json(send("GET", "/actuator/locks"));
        assertThat(held.read("$.type", String.class)).isEqualTo("redis");
        assertThat(held.read("$.heldByThisProcess[*].name", List.class)).containsExactly("embeddings");
        assertThat(held.read("$.heldByThisProcess[0].file", String.class))
                .isEqualTo("key " + server.prefix() + "embeddings at " + server.url());

        assertThat(other.tryAcquire("embeddings")).as("the other instance, while the app builds").isEmpty();
        try (FileLockHold hold = other.acquire("embeddings", Duration.ofSeconds(30))) {
            assertThat(index).as("written under the app's lock before the other instance got it").exists();
            assertThat(hold.isValid()).isTrue();
        }
        assertThat(build.get(30, TimeUnit.SECONDS)).contains("\"action\":\"built\"");
    }

    @Test
    void theSyncSkipsWhileAnotherInstanceHoldsItAndTheEndpointNamesThatHolder() throws Exception {
        try (FileLockHold hold = other.acquire("periodic-sync", Duration.ofSeconds(30))) {
            assertThat(hold.isValid()).isTrue();
            await("the app sees the other instance's lock",
                    () -> locks.diagnostics().inspect("periodic-sync").isHeld());
            assertThat(send("POST", "/sync")).contains("skipped: another instance holds the lock");

            DocumentContext report = json(send("GET", "/actuator/locks"));
            assertThat(report.read("$.heldByOtherProcesses[*].name", List.class)).containsExactly("periodic-sync");
            // The holder record the other instance wrote in Redis, beside the lock.
            assertThat(report.read("$.heldByOtherProcesses[0].holder.thread", String.class))
                    .isEqualTo(Thread.currentThread().getName());
            assertThat(report.read("$.heldByOtherProcesses[0].holder.pid", Long.class))
                    .isEqualTo(ProcessHandle.current().pid());

            DocumentContext health = json(send("GET", "/actuator/health"));
            assertThat(health.read("$.status", String.class)).isEqualTo("UP");
            assertThat(health.read("$.components.fileLock.details.type", String.class)).isEqualTo("redis");
            assertThat(health.read("$.components.fileLockRedis.status", String.class)).isEqualTo("UP");
            assertThat(health.read("$.components.fileLockRedis.details.prefix", String.class))
                    .isEqualTo(server.prefix());
        }
        await("released", () -> !locks.diagnostics().inspect("periodic-sync").isHeld());
        assertThat(send("POST", "/sync")).contains("ran at");
        Optional<FileLockHold> after = other.tryAcquire("periodic-sync");
        assertThat(after).as("the app released it after its run").isPresent();
        after.get().close();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static DocumentContext json(String body) {
        return JsonPath.parse(body);
    }

    private String send(String method, String path) {
        int port = environment.getRequiredProperty("local.server.port", Integer.class);
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + path)).timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
