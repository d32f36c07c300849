package io.github.filelock.internal.soft.rw;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.LastErrorException;
import io.github.filelock.LockMode;
import io.github.filelock.internal.FileSettings;
import io.github.filelock.internal.TestHooks;
import io.github.filelock.spi.LockSlot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Interleavings forced with {@link TestHooks}: a heartbeat during an eviction, refreshes that keep failing. */
@Timeout(60)
class RwRacesTest {

    /** ESTALE on Linux: an NFS file handle the server no longer knows. */
    static final int ESTALE = 116;

    @TempDir
    Path dir;

    @AfterEach
    void removeHook() {
        TestHooks.install(null);
    }

    RwBackend backend(Duration heartbeat, Duration stale) {
        return new RwBackend(new FileSettings(dir, PosixFilePermissions.fromString("rw-r--r--"), false), heartbeat,
                stale, Duration.ofMillis(25));
    }

    @Test
    void aMarkerRefreshedBetweenTheStaleVerdictAndTheMoveIsPutBackNotEvicted() throws Exception {
        Path readers = Files.createDirectories(dir.resolve("idx.lock.readers"));
        Path reader = Files.writeString(readers.resolve("aa.1"), RwMarker.newToken() + "\n1\nnode-17\n");
        Files.setLastModifiedTime(reader, FileTime.from(Instant.now().minusSeconds(60)));
        TestHooks.install((point, subject) -> {
            if (point.equals("RwMarkerFiles.judgedStale") && subject.equals(reader)) {
                touch(reader); // the holder's heartbeat lands after the verdict, before the move
            }
        });
        LockSlot writer = backend(Duration.ofMillis(100), Duration.ofSeconds(1)).openSlot("idx", () -> { });
        assertThat(writer.tryLock(LockMode.EXCLUSIVE)).as("the reader is alive after all").isFalse();
        assertThat(reader).as("put back where it was").exists();
        try (Stream<Path> files = Files.list(readers)) {
            assertThat(files).containsExactly(reader);
        }
    }

    /**
     * A reader whose heartbeat lands while a writer evicts its marker, and which then releases while the marker is
     * moved aside: the writer puts the marker back (the reader was alive), so a release that does not wait for the
     * eviction to finish finds nothing to delete, and the marker comes back for a holder that is gone. Writers then
     * wait a whole stale threshold for a reader that left.
     */
    @Test
    void aReaderReleasedWhileItsMarkerIsMovedAsideLeavesNoMarkerBehind() throws Exception {
        RwBackend backend = backend(Duration.ofMinutes(10), Duration.ofMinutes(20)); // beats only when the test says
        AtomicInteger losses = new AtomicInteger();
        RwSlot reader = (RwSlot) backend.openSlot("idx", losses::incrementAndGet);
        assertThat(reader.tryLock(LockMode.SHARED)).isTrue();
        Path readers = dir.resolve("idx.lock.readers");
        Path marker;
        try (Stream<Path> files = Files.list(readers)) {
            marker = files.findFirst().orElseThrow();
        }
        Files.setLastModifiedTime(marker, FileTime.from(Instant.now().minus(Duration.ofMinutes(30))));
        AtomicReference<Thread> releasing = new AtomicReference<>();
        TestHooks.install((point, subject) -> {
            if (!(subject instanceof Path p) || !p.getFileName().equals(marker.getFileName())) {
                return;
            }
            if (point.equals("RwMarkerFiles.judgedStale")) {
                reader.beat(); // the reader's heartbeat lands after the verdict, before the move
            } else if (point.equals("RwMarkerFiles.movedAside") && releasing.get() == null) {
                Thread t = new Thread(() -> {
                    try {
                        reader.unlock(); // the reader leaves while its marker is under a .break. name
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                releasing.set(t);
                t.start();
                try {
                    t.join(1000); // done at once unless the release waits for the eviction to end
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        LockSlot writer = backend.openSlot("idx", () -> { });
        assertThat(writer.tryLock(LockMode.EXCLUSIVE)).as("the reader was alive when judged").isFalse();
        TestHooks.install(null);
        releasing.get().join(10_000);
        try (Stream<Path> files = Files.list(readers)) {
            assertThat(files.filter(f -> !RwPaths.housekeeping(f.getFileName().toString())))
                    .as("the released reader's marker is gone, not put back").isEmpty();
        }
        assertThat(losses).as("the reader held its lock until it let go").hasValue(0);
        assertThat(writer.tryLock(LockMode.EXCLUSIVE)).as("no reader is left").isTrue();
        writer.unlock();
    }

    /**
     * One heartbeat thread refreshes every soft-rw marker of the JVM. A loss reported on it runs the holders' loss
     * actions; one that takes long (user code) must not stop the other locks' refreshes, or their live markers go
     * stale and other processes evict them and get in beside holders that still count as valid.
     */
    @Test
    void aSlowLossActionOnOneLockDoesNotStopTheHeartbeatOfAnother() throws Exception {
        RwBackend backend = backend(Duration.ofMillis(50), Duration.ofSeconds(5));
        CountDownLatch reporting = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        LockSlot losing = backend.openSlot("a", () -> {
            reporting.countDown();
            try {
                finish.await(); // a loss action that takes its time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        LockSlot other = backend.openSlot("b", () -> { });
        try {
            assertThat(losing.tryLock(LockMode.SHARED)).isTrue();
            assertThat(other.tryLock(LockMode.SHARED)).isTrue();
            Path marker;
            try (Stream<Path> files = Files.list(dir.resolve("a.lock.readers"))) {
                Files.delete(files.findFirst().orElseThrow()); // evicted: the next beat reports the loss
            }
            assertThat(reporting.await(10, TimeUnit.SECONDS)).isTrue();
            try (Stream<Path> files = Files.list(dir.resolve("b.lock.readers"))) {
                marker = files.findFirst().orElseThrow();
            }
            Instant old = Instant.now().minusSeconds(3);
            Files.setLastModifiedTime(marker, FileTime.from(old));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (!Files.getLastModifiedTime(marker).toInstant().isAfter(old.plusSeconds(1))) {
                assertThat(System.nanoTime() - deadline).as("lock b's marker refreshed while a's loss is reported")
                        .isNegative();
                Thread.sleep(10);
            }
        } finally {
            finish.countDown();
            losing.unlock();
            other.unlock();
        }
    }

    /**
     * A holder whose thread was interrupted (interrupt-on-loss) releases on that thread. While the state lock is held
     * elsewhere (here: by a process on another host that crashed mid-step, which is never broken), the release waits
     * its patience out; it must pause between tries, not spin on a sleep that an interrupt ends at once.
     */
    @Test
    void anInterruptedReleasePausesBetweenTriesForTheStateLock() throws Exception {
        LockSlot reader = backend(Duration.ofMinutes(10), Duration.ofMinutes(20)).openSlot("idx", () -> { });
        assertThat(reader.tryLock(LockMode.SHARED)).isTrue();
        Files.writeString(dir.resolve("idx.lock.state"), "4242\nanother-host\n");
        AtomicInteger tries = new AtomicInteger();
        TestHooks.install((point, subject) -> {
            if (point.equals("StateLock.busy")) {
                tries.incrementAndGet();
            }
        });
        Thread.currentThread().interrupt();
        try {
            reader.unlock();
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept").isTrue();
        } finally {
            Thread.interrupted();
        }
        // 2 s of pauses backing off to 20 ms are about 100 tries; a spin makes many thousands.
        assertThat(tries.get()).as("tries in the release's patience").isBetween(1, 500);
    }

    @Test
    void refreshesFailingBrieflyKeepTheHoldAndFailingPastTheThresholdLoseIt() throws Exception {
        AtomicBoolean failing = new AtomicBoolean();
        AtomicInteger failed = new AtomicInteger();
        TestHooks.install((point, subject) -> {
            if (point.equals("RwMarkerFiles.refresh") && failing.get()) {
                failed.incrementAndGet();
                throw new LastErrorException(ESTALE);
            }
        });
        AtomicInteger losses = new AtomicInteger();
        Duration heartbeat = Duration.ofMillis(100);
        Duration stale = Duration.ofMillis(1500);
        LockSlot reader = backend(heartbeat, stale).openSlot("idx", losses::incrementAndGet);
        assertThat(reader.tryLock(LockMode.SHARED)).isTrue();

        failing.set(true);
        awaitTrue(() -> failed.get() >= 3);
        failing.set(false);
        Thread.sleep(heartbeat.multipliedBy(3).toMillis());
        assertThat(reader.isValid()).as("a few failed refreshes, then a good one").isTrue();
        assertThat(losses).hasValue(0);

        long start = System.nanoTime();
        failing.set(true);
        awaitTrue(() -> losses.get() == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("lost only past threshold minus heartbeat")
                .isGreaterThan(stale.minus(heartbeat).minusMillis(50));
        assertThat(reader.isValid()).isFalse();
        failing.set(false);
        reader.unlock();
        assertThat(losses).as("reported once").hasValue(1);
    }

    private static void touch(Path file) {
        try {
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waited 10 s").isNegative();
            Thread.sleep(10);
        }
    }
}
