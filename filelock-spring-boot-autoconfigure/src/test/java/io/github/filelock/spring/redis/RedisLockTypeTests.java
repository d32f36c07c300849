package io.github.filelock.spring.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import io.github.filelock.redis.RedisLockBackend;
import io.github.filelock.spring.FileLockRegistries;
import io.github.filelock.spring.autoconfigure.FileLockAutoConfiguration;
import io.github.filelock.spring.autoconfigure.FileLockFailureAnalyzer;
import io.github.filelock.spring.autoconfigure.InvalidFileLockPropertyException;
import io.github.filelock.test.redis.RedisTestServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * {@code filelock.type=redis} and {@code filelock.locks.<name>.type=redis} against the real server: the application's
 * RedissonClient or one from {@code spring.data.redis.*}, {@code filelock.redis.lease}, health, and start-up failures
 * explained.
 */
class RedisLockTypeTests {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FileLockRedisAutoConfiguration.class,
                        FileLockAutoConfiguration.class, FileLockRedisHealthAutoConfiguration.class))
                .withPropertyValues("filelock.dir=" + dir, "filelock.redis.prefix=" + RedisTestServer.PREFIX);
    }

    private static FailureAnalysis analysis(Throwable failure) {
        FailureAnalysis analysis = new FileLockFailureAnalyzer().analyze(failure);
        assertThat(analysis).as("a failure analysis, not a stack trace: " + failure).isNotNull();
        return analysis;
    }

    @Test
    void withoutAClientBeanTheLocksUseSpringDataRedisAndReportHealth() {
        String url = RedisTestServer.get().url();
        runner().withPropertyValues("filelock.type=redis", "spring.data.redis.url=" + url, "filelock.redis.lease=7s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    FileLockRegistry registry = context.getBean(FileLockRegistry.class);
                    assertThat(registry.type()).isEqualTo(LockType.REDIS);
                    RedisLockBackend backend = context.getBean(RedisLockType.class).backend();
                    assertThat(backend.lease()).isEqualTo(Duration.ofSeconds(7));
                    assertThat(context.getBean(FileLockRegistries.class).locationOf(registry, "job"))
                            .isEqualTo("key " + RedisTestServer.PREFIX + "job at " + url);
                    try (FileLockHold hold = registry.acquire("spring-1", Duration.ofSeconds(10))) {
                        assertThat(backend.isHeldElsewhere("spring-1")).isFalse();
                    }
                    Health health = context.getBean(FileLockRedisHealthIndicator.class).health(true);
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(health.getDetails()).containsEntry("server", url).containsEntry("lease", "PT7S")
                            .containsEntry("prefix", RedisTestServer.PREFIX);
                });
    }

    @Test
    void theApplicationsClientIsUsedAndStaysOpen() {
        RedissonClient client = Redisson.create(config());
        try {
            runner().withBean(RedissonClient.class, () -> client)
                    .withPropertyValues("filelock.locks.jobs.type=redis").run(context -> {
                        assertThat(context).hasNotFailed();
                        FileLockRegistries registries = context.getBean(FileLockRegistries.class);
                        assertThat(registries.main().type()).isEqualTo(LockType.FLOCK);
                        assertThat(registries.registryFor("jobs").type()).isEqualTo(LockType.REDIS);
                        try (FileLockHold hold = registries.registryFor("jobs").acquire("jobs")) {
                            assertThat(client.getReadWriteLock(RedisTestServer.PREFIX + "jobs").writeLock()
                                    .isLocked()).as("locked through the application's server").isTrue();
                        }
                        assertThat(context.getBean(RedisLockType.class).backend().lease())
                                .isEqualTo(Duration.ofSeconds(30));
                    });
            assertThat(client.isShutdown()).as("the application's client is not the locks' to close").isFalse();
        } finally {
            client.shutdown();
        }
    }

    @Test
    void aLeaseOtherThanTheClientsGetsAClientOfItsOwn() {
        RedissonClient client = Redisson.create(config());
        try {
            runner().withBean(RedissonClient.class, () -> client)
                    .withPropertyValues("filelock.type=redis", "filelock.redis.lease=4s").run(context -> {
                        assertThat(context).hasNotFailed();
                        assertThat(context.getBean(RedisLockType.class).backend().lease())
                                .isEqualTo(Duration.ofSeconds(4));
                        assertThat(client.getConfig().getLockWatchdogTimeout()).isEqualTo(30_000);
                    });
            assertThat(client.isShutdown()).isFalse();
        } finally {
            client.shutdown();
        }
    }

    @Test
    void anUnreachableServerFailsStartUpWithTheAddressAndNoPassword() {
        runner().withPropertyValues("filelock.type=redis", "spring.data.redis.url=redis://:secret@127.0.0.1:1",
                "spring.data.redis.connect-timeout=500ms").run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = analysis(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("filelock.type", "127.0.0.1:1")
                            .doesNotContain("secret");
                    assertThat(analysis.getAction()).contains("spring.data.redis.url");
                });
    }

    @Test
    void aMalformedUrlFailsStartUpNamingItAndNoPassword() {
        runner().withPropertyValues("filelock.type=redis",
                "spring.data.redis.url=redis://app:s3cret word@127.0.0.1:6379").run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = analysis(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("spring.data.redis.url").doesNotContain("s3cret");
                    assertThat(analysis.getAction()).contains("spring.data.redis.url").doesNotContain("s3cret");
                });
    }

    @Test
    void aWrongPasswordFailsStartUpWithoutThePassword() {
        URI server = URI.create(RedisTestServer.get().url());
        runner().withPropertyValues("filelock.type=redis", "spring.data.redis.url=redis://app:s3cret@"
                + server.getHost() + ":" + server.getPort()).run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = analysis(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains(server.getHost() + ":" + server.getPort())
                            .doesNotContain("s3cret");
                    assertThat(analysis.getAction()).doesNotContain("s3cret");
                });
    }

    @Test
    void aClientBuiltForTheLocksIsShutDownWhenTheirRegistryCannotBeBuilt() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test",
                Map.of("spring.data.redis.url", RedisTestServer.get().url())));
        FileLockRedisProperties properties = new FileLockRedisProperties();
        properties.setPrefix(RedisTestServer.PREFIX);
        RedisLockType type = new RedisLockType(properties, environment,
                new DefaultListableBeanFactory().getBeanProvider(RedissonClient.class));
        assertThatThrownBy(() -> type.createRegistry("filelock.type", builder -> {
            throw new InvalidFileLockPropertyException("filelock.max-open-files", 0, "too few", "Set it to 1", null);
        })).isInstanceOf(InvalidFileLockPropertyException.class);
        RedisLockBackend opened = type.backend();
        assertThat(opened).as("the backend was opened before the registry failed").isNotNull();
        // A client left running keeps its threads and connections for the life of the JVM
        assertThatThrownBy(opened::ping).as("the locks' own client was shut down").isNotNull();
    }

    @Test
    void twoClientBeansWithoutAPrimaryFailStartUpRatherThanLockElsewhere() {
        RedissonClient first = Redisson.create(config());
        RedissonClient second = Redisson.create(config());
        try {
            // Without a choice, spring.data.redis.* (localhost by default) would be used: other hosts' locks elsewhere
            runner().withBean("cacheClient", RedissonClient.class, () -> first)
                    .withBean("jobsClient", RedissonClient.class, () -> second)
                    .withPropertyValues("filelock.type=redis").run(context -> {
                        assertThat(context).hasFailed();
                        FailureAnalysis analysis = analysis(context.getStartupFailure());
                        assertThat(analysis.getDescription()).contains("RedissonClient", "cacheClient", "jobsClient");
                        assertThat(analysis.getAction()).contains("@Primary");
                    });
        } finally {
            first.shutdown();
            second.shutdown();
        }
    }

    @Test
    void aBadLeaseFailsStartUpNamingItsProperty() {
        runner().withPropertyValues("filelock.type=redis", "filelock.redis.lease=100ms").run(context -> {
            assertThat(context).hasFailed();
            assertThat(analysis(context.getStartupFailure()).getDescription()).contains("filelock.redis.lease");
        });
    }

    @Test
    void withTheModulePresentAndNoRedisNameNothingConnects() {
        runner().withPropertyValues("spring.data.redis.url=redis://127.0.0.1:1").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(FileLockRegistry.class).type()).isEqualTo(LockType.FLOCK);
            assertThat(context.getBean(RedisLockType.class).backend()).isNull();
            assertThat(context).doesNotHaveBean(FileLockRedisHealthIndicator.class);
        });
    }

    private static Config config() {
        Config config = new Config();
        config.useSingleServer().setAddress(RedisTestServer.get().url()).setConnectionMinimumIdleSize(1)
                .setSubscriptionConnectionMinimumIdleSize(1);
        return config;
    }
}
