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
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
     * judgements. Where the file system reuses the freed inode at once, the marker the contender then moves is the
     * holder's new one, with the very identity and content it judged.
     */
    @Test
    void aMarkerRetakenByThisJvmAfterItWasJudgedAnOrphanIsNotBroken() throws Exception {
        SoftBackend backend = BreakRaceTest.backendOn(dir);
        Path marker = backend.fileOf("retaken");
        AtomicInteger losses = new AtomicInteger();
        SoftSlot holder = (SoftSlot) backend.openSlot("retaken", losses::incrementAndGet);
        SoftSlot contender = (SoftSlot) backend.openSlot("retaken", losses::incrementAndGet);
        assertThat(holder.tryLock(LockMode.EXCLUSIVE)).isTrue();
        AtomicBoolean holderHolds = new AtomicBoolean(true);

        boolean contenderHolds;
        try (ScriptedRace race = retakenTwice(marker, holder, holderHolds).install()) {
            contenderHolds = contender.tryLock(LockMode.EXCLUSIVE);
            assertReachedTheSecondJudgement(race);
        }

        assertOneHolderAtMost(backend, marker, losses, holder, holderHolds.get(), contender, contenderHolds);
    }

    /**
     * The same race, and while the contender has the holder's new marker moved aside (to compare it with the one it
     * judged), a third slot finds the path empty. It must not take the lock the holder has.
     */
    @Test
    void noSlotTakesThePathWhileABreakerHasALiveMarkerOfThisJvmAside() throws Exception {
        SoftBackend backend = BreakRaceTest.backendOn(dir);
        Path marker = backend.fileOf("aside");
        AtomicInteger losses = new AtomicInteger();
        SoftSlot holder = (SoftSlot) backend.openSlot("aside", losses::incrementAndGet);
        SoftSlot contender = (SoftSlot) backend.openSlot("aside", losses::incrementAndGet);
        SoftSlot third = (SoftSlot) backend.openSlot("aside", losses::incrementAndGet);
        assertThat(holder.tryLock(LockMode.EXCLUSIVE)).isTrue();
        AtomicBoolean holderHolds = new AtomicBoolean(true);
        AtomicBoolean thirdHolds = new AtomicBoolean();

        boolean contenderHolds;
        try (ScriptedRace race = retakenTwice(marker, holder, holderHolds)
                .at("MarkerFiles.aside", () -> take(third, thirdHolds)).install()) {
            contenderHolds = contender.tryLock(LockMode.EXCLUSIVE);
            assertReachedTheSecondJudgement(race);
        }

        assertThat(holderHolds.get() && thirdHolds.get()).as("the holder and the third slot both hold").isFalse();
        if (thirdHolds.get()) {
            third.unlock();
        }
        assertOneHolderAtMost(backend, marker, losses, holder, holderHolds.get(), contender, contenderHolds);
    }

    // The holder releases after each of the contender's looks, and takes the lock again before each of its moves.
    private static ScriptedRace retakenTwice(Path marker, SoftSlot holder, AtomicBoolean holderHolds) {
        return new ScriptedRace(marker)
                .at("MarkerBreaker.observed", () -> release(holder, holderHolds))
                .at("MarkerBreaker.serialised", () -> take(holder, holderHolds))
                .at("MarkerBreaker.observed", () -> release(holder, holderHolds))
                .at("MarkerBreaker.judged", () -> take(holder, holderHolds));
    }

    private static void assertReachedTheSecondJudgement(ScriptedRace race) {
        assertThat(race.ran()).as("the interleaving reached the second judgement").startsWith(
                "MarkerBreaker.observed", "MarkerBreaker.serialised", "MarkerBreaker.observed");
    }

    private static Void take(SoftSlot slot, AtomicBoolean holds) throws IOException {
        holds.set(slot.tryLock(LockMode.EXCLUSIVE));
        return null;
    }

    private static Void release(SoftSlot slot, AtomicBoolean holds) throws IOException {
        slot.unlock();
        holds.set(false);
        return null;
    }

    private static void assertOneHolderAtMost(SoftBackend backend, Path marker, AtomicInteger losses, SoftSlot holder,
            boolean holderHolds, SoftSlot contender, boolean contenderHolds) throws IOException {
        assertThat(holderHolds && contenderHolds).as("the holder and the contender both hold").isFalse();
        assertThat(backend.brokenMarkers()).as("a live marker of this JVM was broken").isZero();
        for (SoftSlot slot : List.of(holder, contender)) {
            assertThat(slot.isValid()).as("%s's hold is lost", slot).isTrue();
            slot.unlock();
        }
        assertThat(losses).as("releases that found their marker gone").hasValue(0);
        assertThat(marker).doesNotExist();
        try (var leftovers = Files.list(marker.getParent())) {
            assertThat(leftovers).as("no marker, break marker or aside file left").isEmpty();
        }
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
            if (point.equals("OwnMarker.created")) {
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
