package io.github.filelock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code build()} refuses a lock directory it cannot use, naming the path and the cause, and creates a
 * missing one for its owner only. The tests run as root, who ignores permission bits, so the read-only
 * case uses a real read-only mount.
 */
@Timeout(60)
class LockDirectoryBuildErrorsTest {

    @TempDir
    Path tmp;

    @Test
    void aReadOnlyMountIsRefusedNamingThePathAndTheCause() throws Exception {
        Path mountPoint = Files.createDirectory(tmp.resolve("ro"));
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"), "Linux only");
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "ro", "tmpfs", mountPoint.toString()) == 0,
                "cannot mount a read-only tmpfs here (needs root)");
        try {
            assertThatThrownBy(() -> Files.createFile(mountPoint.resolve("probe")))
                    .as("the mount really is read-only").isInstanceOf(IOException.class);

            assertThatThrownBy(() -> FileLockRegistry.builder(mountPoint).build())
                    .isInstanceOf(FileLockException.class)
                    .hasMessageContaining(mountPoint.toString())
                    .hasMessageContaining("read-only");

            Path missingInside = mountPoint.resolve("locks");
            assertThatThrownBy(() -> FileLockRegistry.builder(missingInside).build())
                    .isInstanceOf(FileLockException.class)
                    .hasMessageContaining(missingInside.toString())
                    .hasMessageContaining("cannot be created");
        } finally {
            assertThat(run("umount", mountPoint.toString())).as("umount " + mountPoint).isZero();
        }
    }

    @Test
    void aRegularFileWhereTheDirectoryShouldBeIsAClearError() throws IOException {
        Path file = Files.writeString(tmp.resolve("locks"), "not a directory");

        assertThatThrownBy(() -> FileLockRegistry.builder(file).build())
                .isInstanceOf(FileLockException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not a directory");
        assertThat(Files.readString(file)).as("the file in the way is left alone").isEqualTo("not a directory");

        Path below = file.resolve("sub");
        assertThatThrownBy(() -> FileLockRegistry.builder(below).build())
                .isInstanceOf(FileLockException.class)
                .hasMessageContaining(below.toString());
    }

    @Test
    void aMissingDirectoryIsCreatedForItsOwnerOnly() throws IOException {
        Path missing = tmp.resolve("var").resolve("locks");

        try (FileLockRegistry registry = FileLockRegistry.builder(missing).build()) {
            assertThat(Files.isDirectory(missing)).isTrue();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(missing))).isEqualTo("rwx------");
            try (FileLockHold hold = registry.acquire("first", java.time.Duration.ofSeconds(5))) {
                assertThat(hold.file().getParent()).isEqualTo(missing.toRealPath());
            }
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().transferTo(System.out);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(String.join(" ", command) + " finished").isTrue();
        return process.exitValue();
    }
}
