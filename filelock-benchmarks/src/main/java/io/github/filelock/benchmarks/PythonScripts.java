package io.github.filelock.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** The python3 baseline scripts, shipped as resources and copied out to a file python3 can run. */
public final class PythonScripts {

    private PythonScripts() {
    }

    /** The module every script imports: Python filelock's way of taking the lock. */
    private static final String SHARED_MODULE = "flock_poll.py";

    /** {@code python3 <script> args...}, with the script and the module it imports copied into {@code dir}. */
    public static List<String> command(String script, Path dir, List<String> args) {
        copy(SHARED_MODULE, dir);
        List<String> command = new ArrayList<>(List.of("python3", copy(script, dir).toString()));
        command.addAll(args);
        return command;
    }

    private static Path copy(String script, Path dir) {
        Path target = dir.resolve(script);
        try (InputStream in = PythonScripts.class.getResourceAsStream(script)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + script + " next to " + PythonScripts.class);
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + target, e);
        }
        return target;
    }

    public static boolean available() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import fcntl, mmap").redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
