package io.github.filelock.crossprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A holder killed with SIGKILL cannot release anything itself; the kernel frees its lock when the process
 * dies, and a waiter blocked in the kernel gets it. No lease, no clock, no polling.
 */
@Timeout(60)
class KillNineTest {

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @TempDir
    Path dir;

    @ParameterizedTest
    // File types whose dead holder is freed at once: a strict-soft claim stays until an operator breaks it, and a
    // soft-rw marker until its stale threshold (their own tests cover that).
    @EnumSource(value = LockType.class, names = {"POSTGRES", "REDIS", "STRICT_SOFT", "SOFT_RW"},
            mode = EnumSource.Mode.EXCLUDE)
    void killMinusNineOfTheHolderHandsTheLockToTheWaiter(LockType type) throws Exception {
        ChildProcess holder = HolderChild.startHolding(children, dir, "crash", type);
        try (FileLockRegistry registry = FileLockRegistry.builder(dir).type(type).build()) {
            CompletableFuture<Long> acquired = OtherThread.acquireAndRelease(registry, "crash", Duration.ofSeconds(30));
            awaitWaiting(registry);
            Thread.sleep(200); // let the waiter reach its blocking kernel call, so we time the hand-off alone
            assertThat(acquired).as("the waiter must not get the lock while the holder lives").isNotDone();

            long killedAt = System.nanoTime();
            holder.kill();
            long gotItAt = OtherThread.await(acquired, Duration.ofSeconds(10));

            double latencyMs = (gotItAt - killedAt) / 1e6;
            System.out.printf("[kill -9] %s: waiter got the lock %.3f ms after SIGKILL of holder pid %d%n",
                    type, latencyMs, holder.pid());
            assertThat(holder.awaitExit(Duration.ofSeconds(10))).as("exit status of a SIGKILLed process")
                    .isEqualTo(128 + 9);
            assertThat(latencyMs).as("hand-off after kill -9 (ms)").isLessThan(3000);
        }
    }

    private static void awaitWaiting(FileLockRegistry registry) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (registry.diagnostics().waiters().isEmpty()) {
            assertThat(System.nanoTime()).as("the waiter never started waiting").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
