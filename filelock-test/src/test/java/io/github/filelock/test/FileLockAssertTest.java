package io.github.filelock.test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockMode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FileLockExtension.class)
class FileLockAssertTest {

    @Test
    void heldByCurrentThreadOnlyOnTheHoldingThread(FileLockRegistry registry) throws Exception {
        assertThatThrownBy(() -> FileLockAssert.assertHeldByCurrentThread(registry, "job"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("it is FREE");
        try (FileLockHold hold = registry.acquire("job", Duration.ofSeconds(5))) {
            FileLockAssert.assertHeldByCurrentThread(registry, "job");
            FileLockAssert.assertHeldByThisProcess(registry, "job");
            Throwable onOtherThread = CompletableFuture.supplyAsync(() -> {
                try {
                    FileLockAssert.assertHeldByCurrentThread(registry, "job");
                    return null;
                } catch (AssertionError e) {
                    return e;
                }
            }).get();
            org.assertj.core.api.Assertions.assertThat(onOtherThread).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("HELD_BY_THIS_PROCESS");
        }
    }

    @Test
    void detachedHoldsAreHeldByThisProcessButByNoThread(FileLockRegistry registry) {
        try (FileLockHold hold = registry.acquireAsync("job", LockMode.EXCLUSIVE, Duration.ZERO).join()) {
            FileLockAssert.assertHeldByThisProcess(registry, "job");
            assertThatThrownBy(() -> FileLockAssert.assertHeldByCurrentThread(registry, "job"))
                    .isInstanceOf(AssertionError.class);
            assertThatThrownBy(() -> FileLockAssert.assertFree(registry, "job")).isInstanceOf(AssertionError.class);
        }
        FileLockAssert.assertFree(registry, "job");
    }

    @Test
    @HeldByOtherProcess("job")
    void assertFreeNamesTheOtherProcess(FileLockRegistry registry) {
        long holder = registry.diagnostics().inspect("job").kernelPid().orElseThrow();
        assertThatThrownBy(() -> FileLockAssert.assertFree(registry, "job"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("HELD_BY_OTHER_PROCESS")
                .hasMessageContaining("pid " + holder);
        assertThatThrownBy(() -> FileLockAssert.assertHeldByThisProcess(registry, "job"))
                .isInstanceOf(AssertionError.class);
        assertThatCode(() -> FileLockAssert.assertHeldByOtherProcess(registry, "job")).doesNotThrowAnyException();
    }
}
