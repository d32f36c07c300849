package io.github.filelock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;

/** Every hold is released exactly once, whichever API released it, and a stale hold cannot release a newer one. */
class HoldAccountingTest extends RegistryWithProcesses {

    @Test
    void closingAHoldThatTheLockViewAlreadyReleasedRefusesAndKeepsTheNewerHold() throws Exception {
        Path file = locks.diagnostics().lockFile("x");
        Lock view = locks.obtain("x");
        FileLockHold older = locks.acquire("x", Duration.ZERO);
        view.unlock(); // releases the thread's one hold: `older` is no longer live
        FileLockHold newer = locks.acquire("x", Duration.ZERO);

        Throwable refused = catchThrowable(older::close);
        assertThat(run("flock", "-n", file.toString(), "true")).as("flock(1) is still excluded").isEqualTo(1);
        assertThat(locks.holdCount("x")).as("the newer hold is untouched").isEqualTo(1);
        assertThat(refused).isInstanceOf(IllegalMonitorStateException.class)
                .hasMessageContaining("'x'").hasMessageContaining("no longer held");
        assertThat(newer.isOpen()).isTrue();
        assertThat(older.isOpen()).isFalse();

        newer.close();
        assertThat(run("flock", "-n", file.toString(), "true")).as("free after the live hold closes").isZero();
    }

    @Test
    void closingAStaleHoldWhenNothingIsHeldRefusesAndTheNameStaysUsable() throws Exception {
        Path file = locks.diagnostics().lockFile("y");
        FileLockHold stale = locks.acquire("y", Duration.ZERO);
        locks.obtain("y").unlock();

        Throwable refused = catchThrowable(stale::close);
        assertThat(locks.holdCount("y")).isZero();
        assertThat(locks.diagnostics().localHolds()).isEmpty();
        try (FileLockHold again = locks.acquire("y", Duration.ZERO)) {
            assertThat(run("flock", "-n", file.toString(), "true")).isEqualTo(1);
        }
        assertThat(run("flock", "-n", file.toString(), "true")).isZero();
        assertThat(ReentrancyTest.otherThreadCanTake(locks, "y")).isTrue();
        assertThat(refused).isInstanceOf(IllegalMonitorStateException.class);
    }
}
