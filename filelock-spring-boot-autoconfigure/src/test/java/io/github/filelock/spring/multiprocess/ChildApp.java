package io.github.filelock.spring.multiprocess;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A Spring Boot application in a child JVM, driven line by line over stdin and stdout. */
final class ChildApp implements AutoCloseable {

    final Process process;
    private final BufferedReader out;
    private final Path log;
    private final List<String> seen = new ArrayList<>();

    private ChildApp(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static ChildApp start(Class<?> application, Path log, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), application.getName(),
                "--spring.main.banner-mode=off", "--logging.level.root=WARN"));
        command.addAll(List.of(args));
        return new ChildApp(new ProcessBuilder(command).redirectError(log.toFile()).start(), log);
    }

    void awaitLine(String expected) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            seen.add(line);
            if (line.equals(expected)) {
                return;
            }
        }
        throw new AssertionError("child ended before printing " + expected + ": " + describe());
    }

    void send(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    String describe() {
        try {
            return "stdout " + seen + ", stderr " + (Files.exists(log) ? Files.readString(log) : "");
        } catch (IOException e) {
            return "stdout " + seen;
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
