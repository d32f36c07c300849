package io.github.filelock.test.postgres;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The psql command-line client, run for real against {@link PostgresTestServer}: one command, or a session fed by
 * stdin. Its sessions are named {@code filelock-test-psql} ({@link #APPLICATION_NAME}) in pg_stat_activity.
 *
 * <pre>{@code
 * try (Psql psql = Psql.session()) {
 *     psql.send("SELECT pg_advisory_lock(" + server.keySql("embeddings") + ");");
 *     ... // the application's lock waits; psql's session ends with close(), and its lock with it
 * }
 * }</pre>
 */
public final class Psql implements AutoCloseable {

    public static final String APPLICATION_NAME = "filelock-test-psql";

    private final Process process;
    private final Writer stdin;

    private Psql(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /** Runs {@code sql} and returns what psql printed (unaligned, tuples only), failing on a non-zero exit. */
    public static String run(String sql) throws IOException, InterruptedException {
        List<String> command = command();
        command.add("-c");
        command.add(sql);
        Process p = builder(command).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("psql -c \"" + sql + "\" failed: " + out);
        }
        return out;
    }

    /** A psql session that runs the statements written to it, one line each. */
    public static Psql session() throws IOException {
        return new Psql(builder(command()).start());
    }

    /** Sends one line of SQL to the session. */
    public void send(String sql) throws IOException {
        stdin.write(sql + "\n");
        stdin.flush();
    }

    private static List<String> command() {
        List<String> command = new ArrayList<>(List.of("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At"));
        command.addAll(PostgresTestServer.get().psqlTarget());
        return command;
    }

    private static ProcessBuilder builder(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        String password = PostgresTestServer.get().psqlPassword();
        if (password != null) {
            pb.environment().put("PGPASSWORD", password);
        }
        pb.environment().put("PGAPPNAME", APPLICATION_NAME);
        return pb;
    }

    /** Ends the session: psql exits at the end of its input, and its session's locks go with it. */
    @Override
    public void close() throws InterruptedException {
        try {
            stdin.close();
        } catch (IOException e) {
            // psql already gone
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
