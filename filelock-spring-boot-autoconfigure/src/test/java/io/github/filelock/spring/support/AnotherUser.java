package io.github.filelock.spring.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command as the real local user {@code nobody} (uid 65534, no supplementary groups) through
 * {@code setpriv}, the way another account on a shared host would act. Needs root, as CI is.
 */
public final class AnotherUser {

    public static final int UID = 65534;
    public static final String NAME = "nobody";

    private AnotherUser() {
    }

    /** Skips outside root (a developer's machine); CI runs as root, so these tests always run there. */
    public static void assumeRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")), "acting as another user needs root");
    }

    /** The exit code and combined output of {@code command} run as {@code nobody}. */
    public static Result run(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of("setpriv", "--reuid=" + UID, "--regid=" + UID, "--clear-groups"));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(String.join(" ", line) + " finished").isTrue();
        return new Result(process.exitValue(), output);
    }

    /** Runs {@code sh -c script} as {@code nobody} and insists it succeeds (setting up what the test needs). */
    public static void must(String script) throws IOException, InterruptedException {
        Result result = run("sh", "-c", script);
        assertThat(result.exitCode()).as("as nobody: " + script + "\n" + result.output()).isZero();
    }

    public record Result(int exitCode, String output) {
    }
}
