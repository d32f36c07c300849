package io.github.filelock.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Runs small test classes that use the extension through the JUnit engine, then checks what they saw and what
 * the extension left behind: the probes record, this class judges.
 */
class FileLockExtensionTest {

    @Test
    void eachTestGetsAFreshDirectoryThatIsDeletedAfterIt() {
        PerTestProbe.directories.clear();
        run(PerTestProbe.class);
        assertThat(PerTestProbe.directories).hasSize(2).doesNotHaveDuplicates();
        assertThat(PerTestProbe.directories).allSatisfy(dir -> assertThat(dir).doesNotExist());
    }

    @Test
    void heldByOtherProcessHoldsForTheBodyAndIsGoneBeforeAfterEach() {
        HeldProbe.seen.clear();
        run(HeldProbe.class);
        // body: held by the child; @AfterEach: free again; afterwards: the child has exited
        assertThat(HeldProbe.seen).containsExactly(LockState.HELD_BY_OTHER_PROCESS.name(), LockState.FREE.name());
        assertThat(ProcessHandle.of(HeldProbe.holderPid)).isEmpty();
    }

    @Test
    void holdInOtherProcessIsReleasedAtTheEndOfTheTestEvenIfTheTestFails() {
        run(FailingHolderProbe.class, 1);
        assertThat(ProcessHandle.of(FailingHolderProbe.holderPid)).isEmpty();
    }

    @Test
    void perClassKeepsOneDirectoryForAllTestsAndDeletesItAfterTheClass() {
        PerClassProbe.directories.clear();
        Path before = PerClassProbe.locks.directory(); // as @DynamicPropertySource reads it, before any test
        run(PerClassProbe.class);
        assertThat(PerClassProbe.directories).containsExactly(before, before);
        assertThat(before).doesNotExist();
    }

    private static void run(Class<?> probe) {
        run(probe, 0);
    }

    private static void run(Class<?> probe, int failures) {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(probe)).execute()
                .testEvents().assertStatistics(stats -> stats.failed(failures));
    }

    @ExtendWith(FileLockExtension.class)
    static class PerTestProbe {
        static final List<Path> directories = new CopyOnWriteArrayList<>();

        @Test
        void one(@LockDirectory Path dir, FileLockRegistry registry) throws Exception {
            assertThat(registry.directory()).isEqualTo(dir);
            try (var files = Files.list(dir)) {
                assertThat(files).isEmpty();
            }
            directories.add(dir);
        }

        @Test
        void two(@LockDirectory Path dir) {
            directories.add(dir);
        }
    }

    static class HeldProbe {
        static final List<String> seen = new CopyOnWriteArrayList<>();
        static long holderPid;

        @RegisterExtension
        final FileLockExtension locks = new FileLockExtension();

        @Test
        @HeldByOtherProcess("nightly")
        void body(FileLockRegistry registry) {
            assertThat(registry.tryAcquire("nightly")).isEmpty();
            holderPid = registry.diagnostics().inspect("nightly").kernelPid().orElseThrow();
            seen.add(registry.diagnostics().inspect("nightly").state().name());
        }

        @AfterEach
        void after(FileLockRegistry registry) {
            seen.add(registry.diagnostics().inspect("nightly").state().name());
        }
    }

    static class FailingHolderProbe {
        static long holderPid;

        @RegisterExtension
        final FileLockExtension locks = new FileLockExtension();

        @Test
        void fails() {
            holderPid = locks.holdInOtherProcess("x").pid();
            throw new AssertionError("the test fails while another process holds x");
        }
    }

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class PerClassProbe {
        static final List<Path> directories = new CopyOnWriteArrayList<>();

        @RegisterExtension
        static final FileLockExtension locks = FileLockExtension.perClass();

        @Test
        @Order(1)
        void one(@LockDirectory Path dir) {
            directories.add(dir);
        }

        @Test
        @Order(2)
        void two() {
            directories.add(locks.directory());
        }
    }
}
