package io.github.filelock.crossprocess;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Python filelock (3.30 or newer) that interop tests run against. Found in this order: the directory in
 * {@code FILELOCK_PYTHON_PATH} (environment) or {@code filelock.python.path} (system property), put on python3's
 * {@code PYTHONPATH}; then a filelock that python3 imports by itself. Without either, the test is skipped with one
 * line saying how to provide one. A path that is given but does not hold a usable filelock fails the test: a typo
 * must not turn interop tests into silent skips. {@code .ci/run} points the variable at the peer copy in
 * {@code ../shared/peers/python-filelock/src}.
 */
public final class PythonFilelock {

    /** The oldest release with the soft-lock class family these tests speak to. */
    private static final int[] OLDEST = {3, 30};

    private static volatile PythonFilelock found;

    private final Map<String, String> environment;
    private final String version;

    private PythonFilelock(Map<String, String> environment, String version) {
        this.environment = environment;
        this.version = version;
    }

    /** The peer, or a skipped test (one clear line) when none is installed and none is configured. */
    public static PythonFilelock require() {
        PythonFilelock peer = found;
        if (peer != null) {
            return peer;
        }
        String configured = System.getProperty("filelock.python.path", System.getenv("FILELOCK_PYTHON_PATH"));
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured).toAbsolutePath().normalize();
            Map<String, String> environment = Map.of("PYTHONPATH", path.toString());
            String version = probe(environment);
            if (version == null || !recentEnough(version)) {
                throw new IllegalStateException("FILELOCK_PYTHON_PATH=" + configured + " does not give python3 a"
                        + " filelock 3.30 or newer (found " + version + "): point it at the 'src' directory of a"
                        + " filelock checkout, such as ../shared/peers/python-filelock/src");
            }
            found = new PythonFilelock(environment, version);
            return found;
        }
        String version = probe(Map.of());
        Assumptions.assumeTrue(version != null && recentEnough(version), "Python filelock 3.30+ not found (python3"
                + " found " + version + "): set FILELOCK_PYTHON_PATH to a filelock 'src' directory to run this test");
        found = new PythonFilelock(Map.of(), version);
        return found;
    }

    /** The filelock version python3 imports, such as {@code 3.32.3}. */
    public String version() {
        return version;
    }

    /** The environment a python3 child needs to import this filelock. */
    public Map<String, String> environment() {
        return environment;
    }

    /**
     * Starts {@code python3 -u -c script args...} as a child of {@code children}, with this filelock importable.
     * The script speaks line by line on stdout, as the JVM children do.
     */
    public ChildProcess start(ChildProcesses children, String script, Object... args) {
        List<String> command = new ArrayList<>(List.of("python3", "-u", "-c", script));
        for (Object arg : args) {
            command.add(String.valueOf(arg));
        }
        return children.command(environment, command.toArray(String[]::new));
    }

    private static String probe(Map<String, String> environment) {
        try {
            ProcessBuilder builder = new ProcessBuilder("python3", "-c", "import filelock; print(filelock.__version__)")
                    .redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null; // no python3 at all
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static boolean recentEnough(String version) {
        String[] parts = version.split("[.]");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1].replaceAll("\\D.*", "")) : 0;
            return major > OLDEST[0] || major == OLDEST[0] && minor >= OLDEST[1];
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
