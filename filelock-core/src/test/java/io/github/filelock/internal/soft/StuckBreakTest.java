package io.github.filelock.internal.soft;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.LockMode;
import io.github.filelock.internal.TestHooks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soft locks are for NFS, SMB and FUSE, where one file system call can hang for as long as a server is away (a hard
 * NFS mount). A break stuck in such a call on one mount must not stop this JVM's soft locks in another directory:
 * their markers can never be the one being broken.
 */
class StuckBreakTest {

    @TempDir
    Path dir;

    final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void tearDown() {
        TestHooks.install(null);
        pool.shutdownNow();
    }

    /**
     * The break of a dead holder's marker on the hung mount stops (at the hook, where in life its rename hangs); a
     * take and a release of other locks, in a healthy directory, must still finish.
     */
    @Test
    void aBreakStuckOnOneMountStopsNoTakeOrReleaseOnAnother() throws Exception {
        SoftBackend hung = BreakRaceTest.backendOn(Files.createDirectory(dir.resolve("hung")));
        SoftBackend healthy = BreakRaceTest.backendOn(Files.createDirectory(dir.resolve("healthy")));
        Path stale = hung.fileOf("stale");
        SoftLockTest.writeMarker(stale, BreakRaceTest.deadPid() + "\n" + SoftLockTest.hostname() + "\n1\n");
        SoftSlot held = (SoftSlot) healthy.openSlot("held", () -> { });
        assertThat(held.tryLock(LockMode.EXCLUSIVE)).isTrue();

        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch server = new CountDownLatch(1);
        TestHooks.install((point, subject) -> {
            if (point.equals("MarkerBreaker.judged") && stale.equals(subject)) {
                stuck.countDown();
                awaitQuietly(server); // the server of the hung mount comes back
            }
        });
        Future<Boolean> breaking = pool.submit(() -> ((SoftSlot) hung.openSlot("stale", () -> { }))
                .tryLock(LockMode.EXCLUSIVE));
        try {
            assertThat(stuck.await(20, TimeUnit.SECONDS)).as("the break reached its removal").isTrue();

            Future<Boolean> take = pool.submit(() -> ((SoftSlot) healthy.openSlot("other", () -> { }))
                    .tryLock(LockMode.EXCLUSIVE));
            Future<?> release = pool.submit(() -> {
                held.unlock();
                return null;
            });
            assertThat(finishes(take)).as("a take in the healthy directory finished").isTrue();
            assertThat(take.get()).isTrue();
            assertThat(finishes(release)).as("a release in the healthy directory finished").isTrue();
            assertThat(held.isValid()).isTrue();
        } finally {
            server.countDown();
        }
        assertThat(breaking.get(20, TimeUnit.SECONDS)).as("the break ends once the mount answers").isTrue();
    }

    private static boolean finishes(Future<?> step) throws Exception {
        try {
            step.get(10, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
