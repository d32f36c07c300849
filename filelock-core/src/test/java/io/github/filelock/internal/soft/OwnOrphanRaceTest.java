package io.github.filelock.internal.soft;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockMode;
import io.github.filelock.LockType;
import io.github.filelock.internal.TestHooks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every soft marker of this JVM has the same content ({@code pid/host/token}), so of two of its own markers at one
 * path only the inode tells them apart, and file systems such as ext4 hand a freed inode to the next file at once.
 * A contender that judges a marker of this JVM an orphan (it names us, and nothing here holds it) must not remove a
 * marker that a slot of this JVM created after that judgement: that slot holds the lock.
 */
class OwnOrphanRaceTest {

    @TempDir
    Path dir;

    @AfterEach
    void tearDown() {
        TestHooks.install(null);
    }

    /**
     * The holder releases just after the contender looked at its marker (so the contender finds it unclaimed: an
     * orphan) and takes the lock again before the contender moves it; twice, once for each of the breaker's two
     * judgements. The marker the contender then moves is the holder's new one, on the reused inode.
     */
    @Test
    void aMarkerRetakenByThisJvmAfterItWasJudgedAnOrphanIsNotBroken() throws Exception {
        SoftBackend backend = BreakRaceTest.backendOn(dir);
        Path marker = backend.fileOf("retaken");
        SoftSlot holder = (SoftSlot) backend.openSlot("retaken", () -> { });
        SoftSlot contender = (SoftSlot) backend.openSlot("retaken", () -> { });
        assertThat(holder.tryLock(LockMode.EXCLUSIVE)).isTrue();

        List<String> steps = new ArrayList<>(List.of("MarkerBreaker.observed", "MarkerBreaker.serialised",
                "MarkerBreaker.observed", "MarkerBreaker.judged"));
        List<Object> inodes = new ArrayList<>();
        Thread contending = Thread.currentThread();
        TestHooks.install((point, subject) -> {
            if (Thread.currentThread() != contending || !subject.equals(marker) || steps.isEmpty()
                    || !steps.get(0).equals(point)) {
                return;
            }
            steps.remove(0);
            try {
                if (point.equals("MarkerBreaker.observed")) {
                    inodes.add(Files.getAttribute(marker, "unix:ino"));
                    holder.unlock(); // after the look, before the judgement: the marker is nobody's here now
                } else {
                    assertThat(holder.tryLock(LockMode.EXCLUSIVE)).isTrue(); // before the move
                    inodes.add(Files.getAttribute(marker, "unix:ino"));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });

        boolean contenderWon = contender.tryLock(LockMode.EXCLUSIVE);
        TestHooks.install(null);

        assertThat(steps).as("the interleaving ran").isEmpty();
        Assumptions.assumeTrue(inodes.get(2).equals(inodes.get(3)), "this file system did not reuse the freed"
                + " inode at once (" + inodes + "), so the race this test forces cannot happen here");
        assertThat(contenderWon).as("the contender must not take a lock this JVM's holder has").isFalse();
        assertThat(holder.isValid()).isTrue();
        assertThat(Files.getAttribute(marker, "unix:ino")).as("the holder's marker stays").isEqualTo(inodes.get(3));
        holder.unlock();
        assertThat(holder.isValid()).as("its release found its own marker").isTrue();
        assertThat(marker).doesNotExist();
    }

    /**
     * An error between the create and the slot's record of it (here at the hook; in life a failing {@code statx} on
     * the new descriptor) must not leave the slot believing it holds a marker that this JVM no longer counts as held:
     * another slot here would take that marker for an orphan and break it, and both would hold.
     */
    @Test
    void anErrorJustAfterTheCreateLeavesNoHalfHeldSlot() throws Exception {
        SoftBackend backend = BreakRaceTest.backendOn(dir);
        SoftSlot first = (SoftSlot) backend.openSlot("half", () -> { });
        SoftSlot second = (SoftSlot) backend.openSlot("half", () -> { });
        TestHooks.install((point, subject) -> {
            if (point.equals("SoftSlot.created")) {
                throw new UncheckedIOException(new IOException("EIO (forced by the test)"));
            }
        });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> first.tryLock(LockMode.EXCLUSIVE))
                .hasMessageContaining("forced by the test");
        TestHooks.install(null);

        boolean firstHolds = first.tryLock(LockMode.EXCLUSIVE);
        boolean secondHolds = second.tryLock(LockMode.EXCLUSIVE);
        assertThat(firstHolds && secondHolds).as("both slots hold (first %s, second %s)", firstHolds, secondHolds)
                .isFalse();
        assertThat(firstHolds || secondHolds).as("the marker the error left is cleared as our orphan").isTrue();
    }

    /**
     * One directory reached by two paths that no real-path resolution joins (a bind mount here; in life also one NFS
     * export mounted twice) gives this JVM two soft spaces, so two slots, for one marker. A marker one of them holds
     * must not be taken by the other for an orphan of this JVM: whether a marker of ours is held is a question about
     * the file, not about the path it was reached by.
     */
    @Test
    void aMarkerHeldThroughOneMountOfTheDirectoryIsNoOrphanThroughAnother() throws Exception {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path bound = Files.createDirectory(dir.resolve("bound"));
        Process mount = new ProcessBuilder("mount", "--bind", real.toString(), bound.toString())
                .redirectErrorStream(true).start();
        Assumptions.assumeTrue(mount.waitFor() == 0, "mount --bind is not allowed here (it needs root): skipping");
        try (FileLockRegistry first = FileLockRegistry.builder(real).type(LockType.SOFT).build();
                FileLockRegistry second = FileLockRegistry.builder(bound).type(LockType.SOFT).build()) {
            assertThat(bound.toRealPath()).isNotEqualTo(real.toRealPath());
            try (FileLockHold hold = first.acquire("shared", java.time.Duration.ZERO)) {
                assertThat(second.tryAcquire("shared")).as("the lock is held in this JVM through the other path")
                        .isEmpty();
                assertThat(hold.isValid()).isTrue();
            }
        } finally {
            new ProcessBuilder("umount", "--lazy", bound.toString()).redirectErrorStream(true).start().waitFor();
        }
    }
}
