package io.github.filelock.test.internal;

import java.util.HashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * The search the test servers (RedisTestServer, PostgresTestServer) share: the URL the run names, then a
 * Testcontainers container, else a skip that says how to run the tests. What a server is, and its container, stay
 * with each server.
 */
public final class ServerLookup {

    private static final Set<String> TOLD = new HashSet<>();

    private ServerLookup() {
    }

    /** The URL in system property {@code property}, else in environment variable {@code env}; null when unset. */
    public static @Nullable String configured(String property, String env) {
        String url = System.getProperty(property, System.getenv(env));
        return url == null || url.isBlank() ? null : url.trim();
    }

    /** Whether {@code containerClass} is on the test class path and a Docker engine answers, so it can start. */
    public static boolean canStart(String containerClass) {
        try {
            Class.forName(containerClass);
        } catch (ClassNotFoundException e) {
            return false;
        }
        return Docker.available();
    }

    /** Skips the calling test (a JUnit assumption) with {@code how}; prints it once per JVM, not once per test. */
    public static void skip(String how) {
        synchronized (TOLD) {
            if (TOLD.add(how)) {
                System.out.println(how);
            }
        }
        Assumptions.abort(how);
    }

    /** Separate, so that this class loads without Testcontainers on the class path. */
    private static final class Docker {

        static boolean available() {
            try {
                return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException | LinkageError e) {
                return false;
            }
        }
    }
}
