package io.github.filelock.internal.soft;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A real child process (a JVM running {@link SoftChild}, or python3) spoken to line by line. */
final class Jvm implements AutoCloseable {

    final Process process;
    private final BufferedReader out;
    private final PrintWriter in;

    private Jvm(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream()));
        this.in = new PrintWriter(process.getOutputStream(), true);
    }

    static Jvm softChild(Path dir) throws Exception {
        // The child logs where the tests' own logging goes (logging.properties: a file, not the build output).
        String logging = "-Djava.util.logging.config.file=" + System.getProperty("java.util.logging.config.file", "");
        Jvm jvm = start(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xshare:auto",
                "-XX:TieredStopAtLevel=1", "-Xmx64m", logging, "-cp", System.getProperty("java.class.path"),
                SoftChild.class.getName(), dir.toString()));
        jvm.expect("READY");
        return jvm;
    }

    static Jvm start(List<String> command) throws IOException {
        return new Jvm(new ProcessBuilder(new ArrayList<>(command)).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start());
    }

    long pid() {
        return process.pid();
    }

    void send(String line) {
        in.println(line);
    }

    String read() throws Exception {
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).get(60, TimeUnit.SECONDS);
        if (line == null) {
            throw new IllegalStateException("child " + pid() + " exited with " + process.waitFor());
        }
        return line;
    }

    String ask(String command) throws Exception {
        send(command);
        return read();
    }

    String expect(String prefix) throws Exception {
        String line = read();
        if (!line.startsWith(prefix)) {
            throw new AssertionError("child " + pid() + " said '" + line + "', expected " + prefix);
        }
        return line;
    }

    /** kill -9: no shutdown hook, no finally block, the marker stays behind. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill9();
    }
}
