package io.github.filelock.internal.soft.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import io.github.filelock.internal.LogCapture;
import io.github.filelock.internal.TestHooks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lost soft-lease hold is visible to its holder: {@link FileLockHold#isValid()}, {@link FileLockHold#whenLost},
 * the lost count and an ERROR log; and, only for the names opted in, an interrupt of the holding thread, never once
 * the thread has let go. The loss is real: the marker is removed from the directory, as an operator or a contender
 * on another host would.
 */
class LeaseLossVisibilityTest {

    @TempDir
    Path dir;
    FileLockRegistry locks;
    final LogCapture log = new LogCapture();

    @AfterEach
    void tearDown() {
        log.close();
        if (locks != null) {
            locks.close();
        }
    }

    @Test
    void aLostLeaseTurnsTheHoldInvalidRunsItsLossActionOnceAndIsCounted() throws Exception {
        locks = registry(List.of());
        AtomicInteger told = new AtomicInteger();
        CountDownLatch lost = new CountDownLatch(1);
        try (FileLockHold hold = locks.acquire("report", Duration.ZERO)) {
            hold.whenLost(() -> {
                told.incrementAndGet();
                lost.countDown();
            });
            assertThat(hold.isValid()).isTrue();
            Files.delete(hold.file());
            assertThat(lost.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(hold.isValid()).isFalse();
            AtomicInteger late = new AtomicInteger();
            hold.whenLost(late::incrementAndGet);
            assertThat(late).as("an action added after the loss runs at once").hasValue(1);
        }
        assertThat(told).hasValue(1);
        assertThat(locks.diagnostics().lostHolds()).isEqualTo(1);
        assertThat(log.errors()).anySatisfy(e -> assertThat(e).contains("'report'").contains("LOST"));
    }

    @Test
    void onlyTheNamesOptedInHaveTheirHoldingThreadInterrupted() throws Exception {
        locks = registry(List.of("jobs"));
        assertThat(holdUntilLost("jobs:7")).as("jobs covers its keys").isTrue();
        assertThat(holdUntilLost("reports")).as("reporting only").isFalse();
        assertThat(locks.diagnostics().lostHolds()).isEqualTo(2);
    }

    @Test
    void aThreadThatLetGoIsNotInterruptedByALaterLossOfTheLockItKeptForItsMinimum() throws Exception {
        locks = registry(List.of("jobs"));
        CountDownLatch released = new CountDownLatch(1);
        CountDownLatch lossSeen = new CountDownLatch(1);
        CompletableFuture<Boolean> interrupted = CompletableFuture.supplyAsync(() -> {
            FileLockHold hold = locks.acquire("jobs", Duration.ZERO);
            hold.whenLost(lossSeen::countDown);
            hold.closeHoldingAtLeast(Duration.ofSeconds(30)); // the lock is kept, but this thread moved on
            released.countDown();
            try {
                Thread.sleep(3000);
                return false;
            } catch (InterruptedException e) {
                return true;
            }
        });
        assertThat(released.await(10, TimeUnit.SECONDS)).isTrue();
        Files.delete(locks.diagnostics().lockFile("jobs"));
        assertThat(interrupted.get(20, TimeUnit.SECONDS)).isFalse();
        assertThat(lossSeen.getCount()).as("nor are its loss actions run").isEqualTo(1);
    }

    @Test
    void aLeaseLostBeforeItsHoldIsHandedOutTurnsThatHoldInvalid() throws Exception {
        locks = registry(List.of());
        Path marker = locks.diagnostics().lockFile("handover");
        // The marker is taken, then lost (removed, and the heartbeat has reported it) before the engine hands out the
        // hold: the new hold must not say it is valid while nobody refreshes a marker that is not there.
        TestHooks.install((point, subject) -> {
            if (point.equals("LockEngine.locked") && marker.equals(subject)) {
                try {
                    Files.delete(marker);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (locks.diagnostics().lostHolds() == 0 && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        try (FileLockHold hold = locks.acquire("handover", Duration.ZERO)) {
            TestHooks.install(null);
            assertThat(locks.diagnostics().lostHolds()).as("the heartbeat found the loss").isEqualTo(1);
            assertThat(hold.isValid()).isFalse();
            AtomicInteger told = new AtomicInteger();
            hold.whenLost(told::incrementAndGet);
            assertThat(told).as("the hold was lost already, so its action runs at once").hasValue(1);
        } finally {
            TestHooks.install(null);
        }
        assertThat(locks.diagnostics().lostHolds()).as("one loss, counted once").isEqualTo(1);
    }

    @Test
    void aLossActionThatIsRunningWhenItsHolderLetsGoFinishesBeforeTheCloseReturns() throws Exception {
        locks = registry(List.of());
        CountDownLatch acting = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        CompletableFuture<Boolean> ranAfterRelease = new CompletableFuture<>();
        FileLockHold hold = locks.acquire("overlap", Duration.ZERO);
        hold.whenLost(() -> {
            acting.countDown();
            try {
                // A listener's lost() would be heard here, after released() if the release did not wait for it.
                ranAfterRelease.complete(closed.await(1, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                ranAfterRelease.completeExceptionally(e);
            }
        });
        Files.delete(hold.file());
        assertThat(acting.await(10, TimeUnit.SECONDS)).as("the heartbeat found the loss").isTrue();
        hold.closeHoldingAtLeast(Duration.ofSeconds(30)); // while the loss action runs; the lock is kept, not unlocked
        closed.countDown();
        assertThat(ranAfterRelease.get(10, TimeUnit.SECONDS))
                .as("the loss action went on after the hold was closed").isFalse();
    }

    @Test
    void aHeartbeatThatHangsOnOneMarkerDoesNotKeepAnotherLeasesLossUnreported() throws Exception {
        locks = registry(List.of());
        Path stuck = locks.diagnostics().lockFile("on-a-hung-mount");
        CountDownLatch hanging = new CountDownLatch(1);
        CountDownLatch mountBack = new CountDownLatch(1);
        // The beat of one marker blocks, as a stat on a hard-mounted NFS server that went away does.
        TestHooks.install((point, subject) -> {
            if (point.equals("LeaseSlot.beat") && stuck.equals(subject)) {
                hanging.countDown();
                try {
                    mountBack.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        FileLockHold hung = locks.acquire("on-a-hung-mount", Duration.ZERO);
        FileLockHold other = locks.acquire("elsewhere", Duration.ZERO);
        try {
            assertThat(hanging.await(10, TimeUnit.SECONDS)).isTrue();
            CountDownLatch lost = new CountDownLatch(1);
            other.whenLost(lost::countDown);
            Files.delete(other.file()); // broken by a contender on another host
            assertThat(lost.await(10, TimeUnit.SECONDS)).as("the other lease's loss is found while one beat hangs")
                    .isTrue();
            assertThat(hung.isValid()).isTrue();
        } finally {
            TestHooks.install(null); // the mount is back before the holds are closed: a close waits for the beat
            mountBack.countDown();
            other.close();
            hung.close();
        }
    }

    // Holds `name` on a thread that sleeps; removes the marker; answers whether that thread was interrupted.
    private boolean holdUntilLost(String name) throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch lossHandled = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        boolean[] interrupted = new boolean[1];
        Thread worker = new Thread(() -> {
            try (FileLockHold hold = locks.acquire(name, Duration.ZERO)) {
                hold.whenLost(lossHandled::countDown); // runs after the interrupt, if there is one
                held.countDown();
                try {
                    Thread.sleep(TimeUnit.SECONDS.toMillis(30));
                } catch (InterruptedException e) {
                    interrupted[0] = true;
                    return;
                }
                try {
                    Thread.sleep(TimeUnit.SECONDS.toMillis(30)); // ended by the test below once the loss is handled
                } catch (InterruptedException e) {
                    // expected: the test ends the wait
                }
            } finally {
                done.countDown();
            }
        });
        worker.start();
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        Files.delete(locks.diagnostics().lockFile(name));
        assertThat(lossHandled.await(10, TimeUnit.SECONDS)).isTrue();
        boolean wasInterrupted = done.await(2, TimeUnit.SECONDS) && interrupted[0];
        worker.interrupt();
        worker.join(10_000);
        return wasInterrupted;
    }

    private FileLockRegistry registry(List<String> interruptOnLoss) {
        return FileLockRegistry.builder(dir).type(LockType.SOFT_LEASE).softLease(Duration.ofSeconds(2))
                .softHeartbeat(Duration.ofMillis(200)).interruptOnLoss(interruptOnLoss).build();
    }
}
