package io.github.filelock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FileLockHold#closeHoldingAtLeast}: the caller returns at once, the lock stays held (for flock(1) in
 * another process too) until the minimum has passed since it was acquired, and is then released by the library.
 * Every check of "still held" is a lower bound on the release time, so a loaded machine cannot make it pass wrongly.
 */
class HoldAtLeastTest {

    private static final Duration MINIMUM = Duration.ofMillis(700);

    @TempDir
    Path dir;
    FileLockRegistry registry;

    @BeforeEach
    void open() {
        registry = FileLockRegistry.builder(dir).build();
    }

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void theLockIsKeptUntilTheMinimumHasPassedSinceItWasAcquiredThenReleased() throws Exception {
        long acquired = System.nanoTime();
        FileLockHold hold = registry.acquire("tick", Duration.ZERO);
        hold.closeHoldingAtLeast(MINIMUM);
        assertThat(hold.isOpen()).isFalse();
        assertThat(registry.diagnostics().pendingReleases()).extracting(LocalHold::name).containsExactly("tick");
        assertReleasedNoEarlierThan(acquired, "tick");
        assertThat(registry.diagnostics().pendingReleases()).isEmpty();
        assertThat(registry.diagnostics().localHolds()).isEmpty();
    }

    @Test
    void anInnerHoldsMinimumIsKeptUntilTheOutermostCloses() throws Exception {
        long acquired = System.nanoTime();
        FileLockHold outer = registry.acquire("tick", Duration.ZERO);
        FileLockHold inner = registry.acquire("tick", Duration.ZERO);
        inner.closeHoldingAtLeast(MINIMUM);
        assertThat(registry.diagnostics().pendingReleases()).as("the outer hold still holds").isEmpty();
        outer.close(); // no minimum of its own: the inner one's applies
        assertThat(registry.isHeldByCurrentThread("tick")).isFalse();
        assertThat(registry.diagnostics().pendingReleases()).extracting(LocalHold::name).containsExactly("tick");
        assertReleasedNoEarlierThan(acquired, "tick");
    }

    @Test
    void whileKeptTheLockExcludesThisJvmToo() throws Exception {
        long acquired = System.nanoTime();
        registry.acquire("tick", Duration.ZERO).closeHoldingAtLeast(MINIMUM);
        assertThat(registry.tryAcquire("tick")).as("the same thread, right after").isEmpty();
        try (FileLockHold next = registry.acquire("tick", Duration.ofSeconds(30))) {
            assertThat(System.nanoTime() - acquired).as("waited for the minimum")
                    .isGreaterThanOrEqualTo(MINIMUM.toNanos());
        }
    }

    @Test
    void anAsyncHoldIsReleasedAtTheLaterOfItsCloseAndTheMinimum() throws Exception {
        long acquired = System.nanoTime();
        FileLockHold hold = registry.acquireAsync("tick", LockMode.EXCLUSIVE, Duration.ZERO).get(30, TimeUnit.SECONDS);
        Thread closer = new Thread(() -> hold.closeHoldingAtLeast(MINIMUM));
        closer.start();
        closer.join();
        assertReleasedNoEarlierThan(acquired, "tick");

        FileLockHold late = registry.acquireAsync("tick", LockMode.EXCLUSIVE, Duration.ZERO).get(30, TimeUnit.SECONDS);
        Thread.sleep(MINIMUM.toMillis() + 50); // the work outlasts the minimum
        late.closeHoldingAtLeast(MINIMUM);
        assertThat(registry.diagnostics().pendingReleases()).as("nothing left to keep").isEmpty();
        assertThat(otherProcessCanLock("tick")).isTrue();
    }

    @Test
    void aNegativeMinimumIsRefusedAndLeavesTheHoldOpen() {
        FileLockHold hold = registry.acquire("tick", Duration.ZERO);
        assertThatIllegalArgumentException().isThrownBy(() -> hold.closeHoldingAtLeast(Duration.ofMillis(-1)))
                .withMessageContaining("holdAtLeast must not be negative");
        assertThat(hold.isOpen()).isTrue();
        hold.close();
    }

    /** flock -n from another process fails until the minimum is over, and succeeds soon after. */
    private void assertReleasedNoEarlierThan(long acquiredNanos, String name) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!otherProcessCanLock(name)) {
            assertThat(System.nanoTime()).as("released in the end").isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(System.nanoTime() - acquiredNanos).as("released no earlier than the minimum after acquisition")
                .isGreaterThanOrEqualTo(MINIMUM.toNanos());
    }

    private boolean otherProcessCanLock(String name) throws Exception {
        Process flock = new ProcessBuilder("flock", "-n", registry.diagnostics().lockFile(name).toString(), "true")
                .start();
        return flock.waitFor() == 0;
    }
}
