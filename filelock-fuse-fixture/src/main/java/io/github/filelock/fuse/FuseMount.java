package io.github.filelock.fuse;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real FUSE mount served by one of the Python fixtures beside this class (which share {@code passthroughfs.py}):
 * a loopback of {@link #backing()} at {@link #mount()}. Skips the calling test where FUSE cannot be mounted (no
 * /dev/fuse, not root, no python3-fusepy in the system Python). Shared by the tests of filelock-core and of the
 * Spring Boot module.
 */
public final class FuseMount implements AutoCloseable {

    private static final Path SYSTEM_PYTHON = Path.of("/usr/bin/python3");
    private static final String SHARED = "passthroughfs.py";

    private final Path backing;
    private final Path mount;
    private final Process fuse;

    private FuseMount(Path backing, Path mount, Process fuse) {
        this.backing = backing;
        this.mount = mount;
        this.fuse = fuse;
    }

    /** Mounts {@code fixture} (a resource name such as {@code estalefs.py}) under {@code tmp}, and waits for it. */
    public static FuseMount start(Path tmp, String fixture) throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/fuse")) && Files.isExecutable(SYSTEM_PYTHON)
                && new ProcessBuilder(SYSTEM_PYTHON.toString(), "-c", "import fusepy").start().waitFor() == 0
                && "root".equals(System.getProperty("user.name")), "FUSE with python3-fusepy as root");
        Path script = copy(fixture, tmp);
        copy(SHARED, tmp); // beside the fixture, where Python looks for its import
        Path backing = Files.createDirectory(tmp.resolve("backing"));
        Path mount = Files.createDirectory(tmp.resolve("mnt"));
        Path log = tmp.resolve("fuse.log");
        Process fuse = new ProcessBuilder(SYSTEM_PYTHON.toString(), script.toString(), backing.toString(),
                mount.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        FuseMount started = new FuseMount(backing, mount, fuse);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.readString(Path.of("/proc/self/mountinfo")).contains(" " + mount + " ")) {
            if (!fuse.isAlive() || System.nanoTime() > deadline) {
                started.close();
            }
            assumeTrue(fuse.isAlive(), () -> "FUSE did not mount: " + read(log));
            assertTrue(System.nanoTime() <= deadline, "FUSE mounted in time");
            Thread.sleep(20);
        }
        return started;
    }

    /** The directory the file system shows; the fixtures' control files go in {@link #backing()}. */
    public Path mount() {
        return mount;
    }

    /** The directory behind the mount, reached without going through FUSE. */
    public Path backing() {
        return backing;
    }

    /** Unmounts lazily (a test may still hold files open) and ends the Python process. */
    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor(20, TimeUnit.SECONDS);
        fuse.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
    }

    private static Path copy(String resource, Path dir) throws IOException {
        Path target = dir.resolve(resource);
        try (InputStream in = FuseMount.class.getResourceAsStream(resource)) {
            assertNotNull(in, "resource " + resource + " beside " + FuseMount.class.getName());
            Files.copy(in, target);
        }
        return target;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
