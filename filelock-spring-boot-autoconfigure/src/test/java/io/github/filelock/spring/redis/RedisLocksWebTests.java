package io.github.filelock.spring.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockHolder;
import io.github.filelock.LockMode;
import io.github.filelock.LockType;
import io.github.filelock.redis.RedisLockBackend;
import io.github.filelock.redis.RedisSettings;
import io.github.filelock.spi.LockSlot;
import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.OnTimeout;
import io.github.filelock.test.redis.RedisTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An application with {@code filelock.type=redis} on a real server, called through a real web server: another
 * Redisson client holds the documented key while {@code @FileLocked} methods skip or hold; {@code /actuator/locks},
 * {@code /actuator/health} and {@code /actuator/metrics} report the redis names as they report flock ones.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = RedisLocksWebTests.App.class, properties = {
                "management.endpoints.web.exposure.include=locks,health,metrics",
                "management.endpoint.health.show-details=always", "spring.main.banner-mode=off",
                "filelock.type=redis", "filelock.redis.lease=5s" })
class RedisLocksWebTests {

    @DynamicPropertySource
    static void server(DynamicPropertyRegistry registry) throws Exception {
        RedisTestServer server = RedisTestServer.get();
        registry.add("spring.data.redis.url", server::url);
        registry.add("filelock.redis.prefix", server::prefix);
        Path dir = Files.createTempDirectory("filelock-redis-web");
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
    private final RedisTestServer server = RedisTestServer.get();

    private Config config() {
        Config config = new Config();
        config.useSingleServer().setAddress(server.url()).setConnectionMinimumIdleSize(1)
                .setSubscriptionConnectionMinimumIdleSize(1);
        return config;
    }

    @Test
    void aSkippingMethodSkipsWhileAnotherRedissonClientHoldsTheDocumentedKey() throws Exception {
        assertThat(registry.type()).isEqualTo(LockType.REDIS);
        RedissonClient other = Redisson.create(config());
        try {
            RLock lock = other.getReadWriteLock(server.prefix() + "nightly").writeLock();
            lock.lock();
            await("the other client holds nightly", () -> registry.diagnostics().inspect("nightly").isHeld());
            assertThat(nightly.run()).as("skipped").isNull();
            assertThat(nightly.runs()).isZero();
            lock.unlock();
            await("released", () -> !registry.diagnostics().inspect("nightly").isHeld());
            assertThat(nightly.run()).isEqualTo(1);
        } finally {
            other.shutdown();
        }
    }

    @Test
    void endpointHealthAndMetricsReportRedisNames() throws Exception {
        Thread holder = new Thread(report::generate, "reporter");
        holder.start();
        try (RedisLockBackend otherBackend = RedisLockBackend.open(config(),
                RedisSettings.builder().prefix(server.prefix()).build());
             LockSlot other = otherBackend.openSlot("nightly", () -> { })) {
            assertThat(report.holding().await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(other.tryLock(LockMode.EXCLUSIVE)).isTrue();
            other.describeHolder(new LockHolder(4242, "host-b", Optional.of("other-main"), Optional.of("nightly"),
                    Instant.now()));
            await("the other backend holds nightly", () -> registry.diagnostics().inspect("nightly").isHeld());
            assertThat(nightly.run()).as("skipped, and now a name this JVM knows").isNull();

            DocumentContext locks = getJson("/actuator/locks");
            assertThat(locks.read("$.type", String.class)).isEqualTo("redis");
            assertThat(locks.read("$.directory", String.class)).isEqualTo(server.url());
            assertThat(locks.read("$.heldByThisProcess[*].name", List.class)).containsExactly("report");
            assertThat(locks.read("$.heldByThisProcess[0].thread", String.class)).isEqualTo("reporter");
            assertThat(locks.read("$.heldByThisProcess[0].file", String.class))
                    .isEqualTo("key " + server.prefix() + "report at " + server.url());
            assertThat(locks.read("$.heldByOtherProcesses[*].name", List.class)).containsExactly("nightly");
            assertThat(locks.read("$.heldByOtherProcesses[0].holder.pid", Long.class)).isEqualTo(4242L);
            assertThat(locks.read("$.heldByOtherProcesses[0].holder.thread", String.class)).isEqualTo("other-main");

            DocumentContext health = getJson("/actuator/health");
            assertThat(health.read("$.status", String.class)).isEqualTo("UP");
            assertThat(health.read("$.components.fileLock.details.type", String.class)).isEqualTo("redis");
            assertThat(health.read("$.components.fileLock.details.held", Integer.class)).isEqualTo(1);
            assertThat(health.read("$.components.fileLockRedis.status", String.class)).isEqualTo("UP");
            assertThat(health.read("$.components.fileLockRedis.details.lease", String.class)).isEqualTo("PT5S");
            other.unlock();
        } finally {
            report.release().countDown();
            holder.join(30_000);
            report.reset();
        }
        DocumentContext holds = getJson("/actuator/metrics/filelock.hold?tag=name:report");
        assertThat(holds.read("$.measurements[?(@.statistic == 'COUNT')].value", List.class))
                .singleElement()
                .satisfies(count -> assertThat(((Number) count).doubleValue()).isGreaterThanOrEqualTo(1));
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
