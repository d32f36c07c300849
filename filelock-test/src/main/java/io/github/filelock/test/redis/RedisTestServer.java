package io.github.filelock.test.redis;

import io.github.filelock.test.internal.ServerLookup;
import java.net.URI;
import java.util.List;
import java.util.UUID;

/**
 * The Redis server of a test run, for tests of the {@code redis} lock type: {@code FILELOCK_TEST_REDIS_URL} (or
 * {@code -Dfilelock.test.redis.url}) when set; otherwise a Testcontainers {@code GenericContainer} running
 * {@code redis:7-alpine} when {@code org.testcontainers:testcontainers} is on the test class path and a Docker engine
 * is there; otherwise every test that asks is skipped with one line that says how to run them.
 *
 * <pre>{@code
 * RedisTestServer server = RedisTestServer.get(); // skips the test when there is none
 * Config config = new Config();
 * config.useSingleServer().setAddress(server.url());
 * registry = FileLockRegistry.builder(RedisLockBackend.open(config,
 *         RedisSettings.builder().prefix(server.prefix()).build())).build();
 * }</pre>
 *
 * <p>Keys belong under {@link #prefix()}, one per test JVM, so two builds on one machine never meet.
 */
public final class RedisTestServer {

    /** This test JVM's key prefix (also {@link #prefix()}). */
    public static final String PREFIX = "filelock-test-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    private static final String HOW = "Redis lock tests skipped: no server. Set FILELOCK_TEST_REDIS_URL="
            + "redis://127.0.0.1:6379 (or -Dfilelock.test.redis.url), or start a Docker engine for Testcontainers;"
            + " .ci/run does the former";

    private static RedisTestServer server;

    private final String url;

    private RedisTestServer(String url) {
        this.url = url;
    }

    /** The run's server; skips the calling test (JUnit assumption) when there is none. */
    public static synchronized RedisTestServer get() {
        if (server == null) {
            server = find();
        }
        if (server.url == null) {
            ServerLookup.skip(HOW);
        }
        return server;
    }

    /** The server's URL, {@code redis://host:port} (perhaps with a password), as Redisson's address takes it. */
    public String url() {
        return url;
    }

    /** The server's host. */
    public String host() {
        return URI.create(url).getHost();
    }

    /** The server's port. */
    public int port() {
        int port = URI.create(url).getPort();
        return port > 0 ? port : 6379;
    }

    /** This test JVM's key prefix. */
    public String prefix() {
        return PREFIX;
    }

    /** {@code key=value} arguments that carry the server and prefix to a child JVM. */
    public List<String> childArgs() {
        return List.of("url=" + url, "prefix=" + PREFIX);
    }

    private static RedisTestServer find() {
        String url = ServerLookup.configured("filelock.test.redis.url", "FILELOCK_TEST_REDIS_URL");
        if (url != null) {
            return new RedisTestServer(url);
        }
        if (!ServerLookup.canStart("org.testcontainers.containers.GenericContainer")) {
            return new RedisTestServer(null);
        }
        return Container.start();
    }

    /** Separate, so that this class loads without Testcontainers on the class path. */
    private static final class Container {

        static RedisTestServer start() {
            var container = new org.testcontainers.containers.GenericContainer<>(
                    org.testcontainers.utility.DockerImageName.parse("redis:7-alpine")).withExposedPorts(6379);
            container.start(); // stopped by Testcontainers' reaper when this JVM exits
            return new RedisTestServer("redis://" + container.getHost() + ":" + container.getMappedPort(6379));
        }
    }

    @Override
    public String toString() {
        return "RedisTestServer[" + url.replaceFirst("//[^/@]*@", "//") + "]";
    }
}
