package io.github.filelock.internal.soft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two copies of the library in one JVM (two web applications in one servlet container, each with its own
 * {@code WEB-INF/lib}) write markers with one content, this process's {@code pid/host/token}, but each copy knows only
 * the markers it created itself. A lock the other copy holds must never be taken: the types whose markers carry a
 * token of their own tell the copies apart, and {@code soft}, whose markers cannot, is refused to a second copy.
 */
class TwoCopiesTest {

    @TempDir
    Path dir;
    URLClassLoader otherCopy;

    @BeforeEach
    void loadAnotherCopy() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.contains("test-classes")) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        otherCopy = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        assertThat(Class.forName(FileLockRegistry.class.getName(), true, otherCopy))
                .isNotEqualTo(FileLockRegistry.class);
    }

    @AfterEach
    void close() throws Exception {
        otherCopy.close();
    }

    @ParameterizedTest
    @EnumSource(value = LockType.class, names = {"STRICT_SOFT", "SOFT_LEASE", "SOFT_RW"})
    void aLockHeldByAnotherCopyOfTheLibraryInThisJvmIsHeld(LockType lockType) throws Exception {
        try (FileLockRegistry here = FileLockRegistry.builder(dir).type(lockType).build();
                AutoCloseable there = buildThere(lockType)) {
            Optional<?> theirs = tryAcquireThere(there, "shared");
            assertThat(theirs).as("the other copy takes the lock").isPresent();
            Optional<FileLockHold> ours = here.tryAcquire("shared");
            ours.ifPresent(FileLockHold::close);
            ((AutoCloseable) theirs.get()).close(); // its lease heartbeat must not outlive the other copy's loader
            assertThat(ours).as("this copy takes the lock the other copy holds").isEmpty();
        }
    }

    /**
     * Run in a fresh JVM: which copy may use soft locks is one fact per JVM, and other tests of this one may leave a
     * soft registry of this copy open.
     */
    @Test
    void onlyOneCopyOfTheLibraryInAJvmUsesSoftLocksAtATime() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (Jvm child = Jvm.start(List.of(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), InFreshJvm.class.getName(), dir.toString()))) {
            assertThat(child.read()).isEqualTo("PASSED");
            assertThat(child.process.waitFor()).isZero();
        }
    }

    /**
     * A soft backend that its space refuses (SOFT beside FILE_CHANNEL in one directory) is never closed, so its claim
     * outlives every registry of this copy and the other copy is refused soft locks for the life of the JVM.
     */
    @Test
    void aSoftRegistryRefusedAtBuildGivesUpItsClaim() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (Jvm child = Jvm.start(List.of(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), InFreshJvm.class.getName(), dir.toString(), "refused"))) {
            assertThat(child.read()).isEqualTo("PASSED");
            assertThat(child.process.waitFor()).isZero();
        }
    }

    private void refusedBuildClaimsNothing() throws Exception {
        try (FileLockRegistry fcntl = FileLockRegistry.builder(dir).type(LockType.FILE_CHANNEL).build()) {
            assertThatThrownBy(() -> FileLockRegistry.builder(dir).type(LockType.SOFT).build())
                    .hasMessageContaining("cannot share it");
        }
        try (AutoCloseable there = buildThere(LockType.SOFT)) {
            Optional<?> theirs = tryAcquireThere(there, "shared");
            assertThat(theirs).as("the other copy, since this one has no soft registry open").isPresent();
            ((AutoCloseable) theirs.get()).close();
        }
    }

    /** The scenario of {@link #onlyOneCopyOfTheLibraryInAJvmUsesSoftLocksAtATime}, in the child JVM. */
    static final class InFreshJvm {

        public static void main(String[] args) throws Exception {
            TwoCopiesTest test = new TwoCopiesTest();
            test.dir = Path.of(args[0]);
            test.loadAnotherCopy();
            try {
                if (args.length > 1 && args[1].equals("refused")) {
                    test.refusedBuildClaimsNothing();
                } else {
                    test.oneCopyAtATime();
                }
                System.out.println("PASSED");
            } catch (Throwable e) {
                e.printStackTrace();
                System.out.println("FAILED: " + e);
            } finally {
                test.close();
            }
        }
    }

    private void oneCopyAtATime() throws Exception {
        try (FileLockRegistry here = FileLockRegistry.builder(dir).type(LockType.SOFT).build()) {
            assertThatThrownBy(() -> buildThere(LockType.SOFT))
                    .hasStackTraceContaining("another copy of the filelock library in this JVM")
                    .hasStackTraceContaining("Load filelock-core once per JVM");
            Optional<FileLockHold> hold = here.tryAcquire("shared");
            assertThat(hold).isPresent();
            hold.get().close();
        }
        try (AutoCloseable there = buildThere(LockType.SOFT)) {
            Optional<?> theirs = tryAcquireThere(there, "shared");
            assertThat(theirs).as("the other copy, once this one closed its own").isPresent();
            ((AutoCloseable) theirs.get()).close();
            assertThatThrownBy(() -> FileLockRegistry.builder(dir).type(LockType.SOFT).build())
                    .hasStackTraceContaining("another copy of the filelock library in this JVM");
        }
        try (FileLockRegistry again = FileLockRegistry.builder(dir).type(LockType.SOFT).build();
                FileLockHold hold = again.acquire("shared", Duration.ZERO)) {
            assertThat(hold.isValid()).as("this copy, once the other closed its own").isTrue();
        }
    }

    private AutoCloseable buildThere(LockType lockType) throws Exception {
        Class<?> registry = Class.forName(FileLockRegistry.class.getName(), true, otherCopy);
        Class<?> type = Class.forName(LockType.class.getName(), true, otherCopy);
        Object builder = registry.getMethod("builder", Path.class).invoke(null, dir);
        builder = builder.getClass().getMethod("type", type).invoke(builder, type.getField(lockType.name()).get(null));
        return (AutoCloseable) builder.getClass().getMethod("build").invoke(builder);
    }

    private static Optional<?> tryAcquireThere(AutoCloseable registry, String name) throws Exception {
        return (Optional<?>) registry.getClass().getMethod("tryAcquire", String.class).invoke(registry, name);
    }
}
