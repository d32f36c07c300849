package io.github.filelock.internal.soft.rw;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.LockHolder;
import io.github.filelock.LockMode;
import io.github.filelock.internal.FileSettings;
import io.github.filelock.internal.ProcessIdentity;
import io.github.filelock.spi.LockSlot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soft-rw protocol on real files, between two backends on one directory: each has its own slots, so to the
 * protocol they are two participants, as two processes are.
 */
@Timeout(60)
class RwProtocolTest {

    static final Duration HEARTBEAT = Duration.ofMillis(100);
    static final Duration STALE = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    RwBackend backend() {
        return new RwBackend(new FileSettings(dir, PosixFilePermissions.fromString("rw-r--r--"), false), HEARTBEAT,
                STALE, Duration.ofMillis(25));
    }

    @Test
    void aReaderIsOneMarkerUnderReadersInPythonsFormatAndGoesOnRelease() throws Exception {
        RwBackend a = backend();
        LockSlot reader = a.openSlot("idx", () -> { });
        assertThat(reader.tryLock(LockMode.SHARED)).isTrue();
        List<Path> markers = a.readers(RwPaths.of(a.fileOf("idx")));
        assertThat(markers).hasSize(1);
        assertThat(markers.get(0).getFileName().toString()).matches("[0-9a-f]{32}\\." + ProcessIdentity.PID);
        assertThat(Files.readString(markers.get(0))).matches("[0-9a-f]{32}\n" + ProcessIdentity.PID + "\n"
                + ProcessIdentity.HOST + "\n");
        assertThat(dir.resolve("idx.lock.state")).as("the state lock is held only during a step").doesNotExist();
        assertThat(dir.resolve("idx.lock")).as("the lock path itself is never created").doesNotExist();
        reader.unlock();
        assertThat(a.readers(RwPaths.of(a.fileOf("idx")))).isEmpty();
    }

    @Test
    void readersShareAndAWriterWaitsForThemAll() throws Exception {
        LockSlot first = backend().openSlot("idx", () -> { });
        LockSlot second = backend().openSlot("idx", () -> { });
        LockSlot writer = backend().openSlot("idx", () -> { });
        assertThat(first.tryLock(LockMode.SHARED)).isTrue();
        assertThat(second.tryLock(LockMode.SHARED)).as("readers share").isTrue();
        assertThat(writer.tryLock(LockMode.EXCLUSIVE)).as("a writer beside readers").isFalse();
        assertThat(dir.resolve("idx.lock.write")).as("a failed attempt gives its claim back").doesNotExist();
        first.unlock();
        assertThat(writer.tryLock(LockMode.EXCLUSIVE)).as("one reader is left").isFalse();
        second.unlock();
        assertThat(writer.tryLock(LockMode.EXCLUSIVE)).isTrue();
        assertThat(Files.readString(dir.resolve("idx.lock.write"))).endsWith("\n" + ProcessIdentity.PID + "\n"
                + ProcessIdentity.HOST + "\n");
        assertThat(first.tryLock(LockMode.SHARED)).as("a reader beside a writer").isFalse();
        assertThat(second.tryLock(LockMode.EXCLUSIVE)).as("a second writer").isFalse();
        writer.unlock();
        assertThat(dir.resolve("idx.lock.write")).doesNotExist();
        assertThat(first.tryLock(LockMode.SHARED)).isTrue();
        first.unlock();
    }

    @Test
    void aWaitingWriterHoldsBackNewReadersAndGetsInWhenTheOldOnesLeave() throws Exception {
        LockSlot oldReader = backend().openSlot("idx", () -> { });
        LockSlot writer = backend().openSlot("idx", () -> { });
        LockSlot newReader = backend().openSlot("idx", () -> { });
        assertThat(oldReader.tryLock(LockMode.SHARED)).isTrue();
        CompletableFuture<Boolean> writing = CompletableFuture.supplyAsync(() -> lock(writer, LockMode.EXCLUSIVE));
        awaitFile(dir.resolve("idx.lock.write")); // phase 1 done: the writer claimed the lock
        assertThat(newReader.tryLock(LockMode.SHARED)).as("a new reader behind a waiting writer").isFalse();
        assertThat(writing).isNotDone();
        oldReader.unlock();
        assertThat(writing.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(newReader.tryLock(LockMode.SHARED)).isFalse();
        writer.unlock();
        assertThat(newReader.tryLock(LockMode.SHARED)).isTrue();
        newReader.unlock();
    }

    @Test
    void anAbandonedWriterGivesItsClaimBackSoReadersEnterAgain() throws Exception {
        LockSlot reader = backend().openSlot("idx", () -> { });
        LockSlot writer = backend().openSlot("idx", () -> { });
        assertThat(reader.tryLock(LockMode.SHARED)).isTrue();
        CompletableFuture<Boolean> writing = CompletableFuture.supplyAsync(() -> lock(writer, LockMode.EXCLUSIVE));
        awaitFile(dir.resolve("idx.lock.write"));
        writer.abandon();
        assertThat(writing.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(dir.resolve("idx.lock.write")).doesNotExist();
        LockSlot another = backend().openSlot("idx", () -> { });
        assertThat(another.tryLock(LockMode.SHARED)).isTrue();
        another.unlock();
        reader.unlock();
    }

    @Test
    void aMarkerNotRefreshedWithinTheThresholdIsEvictedAndAFreshOneIsNot() throws Exception {
        RwBackend a = backend();
        Path readers = Files.createDirectories(dir.resolve("idx.lock.readers"));
        Path fresh = Files.writeString(readers.resolve("aa.1"), RwMarker.newToken() + "\n1\nnode-17\n");
        LockSlot writer = a.openSlot("idx", () -> { });
        assertThat(writer.tryLock(LockMode.EXCLUSIVE)).as("a fresh reader of another host").isFalse();
        Files.setLastModifiedTime(fresh, FileTime.from(Instant.now().minus(STALE).minusMillis(200)));
        assertThat(writer.tryLock(LockMode.EXCLUSIVE)).as("the same reader, stale").isTrue();
        assertThat(fresh).doesNotExist();
        assertThat(a.evictions()).isEqualTo(1);
        try (Stream<Path> left = Files.list(readers)) {
            assertThat(left).as("no .break. file left behind").isEmpty();
        }
        writer.unlock();
    }

    @Test
    void aHeldMarkerIsRefreshedSoItIsNeverEvicted() throws Exception {
        LockSlot reader = backend().openSlot("idx", () -> { });
        assertThat(reader.tryLock(LockMode.SHARED)).isTrue();
        Thread.sleep(STALE.multipliedBy(2).toMillis());
        LockSlot writer = backend().openSlot("idx", () -> { });
        assertThat(writer.tryLock(LockMode.EXCLUSIVE)).isFalse();
        assertThat(reader.isValid()).isTrue();
        reader.unlock();
    }

    @Test
    void aReaderWhoseMarkerWasEvictedReportsTheLossOnce() throws Exception {
        RwBackend a = backend();
        AtomicInteger losses = new AtomicInteger();
        LockSlot reader = a.openSlot("idx", losses::incrementAndGet);
        assertThat(reader.tryLock(LockMode.SHARED)).isTrue();
        Files.delete(a.readers(RwPaths.of(a.fileOf("idx"))).get(0));
        awaitTrue(() -> losses.get() == 1);
        assertThat(reader.isValid()).isFalse();
        reader.unlock();
        assertThat(losses).hasValue(1);
    }

    @Test
    void aWriterWhoseMarkerWasReplacedReportsTheLossAndLeavesTheOtherMarker() throws Exception {
        AtomicInteger losses = new AtomicInteger();
        LockSlot writer = backend().openSlot("idx", losses::incrementAndGet);
        assertThat(writer.tryLock(LockMode.EXCLUSIVE)).isTrue();
        Path marker = dir.resolve("idx.lock.write");
        String successor = RwMarker.newToken() + "\n4242\nnode-17\n";
        Files.delete(marker);
        Files.writeString(marker, successor);
        awaitTrue(() -> losses.get() == 1);
        writer.unlock();
        assertThat(Files.readString(marker)).as("a successor's marker is never deleted").isEqualTo(successor);
        assertThat(losses).hasValue(1);
    }

    @Test
    void diagnosticsShowTheWriterAndEveryReader() throws Exception {
        RwBackend a = backend();
        LockSlot r1 = backend().openSlot("idx", () -> { });
        LockSlot r2 = backend().openSlot("idx", () -> { });
        assertThat(a.inspectElsewhere(List.of("idx")).get(0).held()).isFalse();
        assertThat(r1.tryLock(LockMode.SHARED)).isTrue();
        assertThat(r2.tryLock(LockMode.SHARED)).isTrue();
        List<LockHolder> holders = a.holdersElsewhere("idx");
        assertThat(holders).hasSize(2).allSatisfy(h -> assertThat(h.pid()).isEqualTo(ProcessIdentity.PID));
        assertThat(a.inspectElsewhere(List.of("idx")).get(0).held()).isTrue();
        assertThat(a.knownKeys()).containsExactly("idx");
        r1.unlock();
        r2.unlock();
        assertThat(a.isHeldElsewhere("idx")).isFalse();
    }

    @Test
    void aPythonStateLockOfAGoneProcessIsBrokenAndALiveOneWaitedFor() throws Exception {
        Path state = dir.resolve("idx.lock.state");
        LockSlot reader = backend().openSlot("idx", () -> { });
        Files.writeString(state, ProcessIdentity.PID + "\n" + ProcessIdentity.HOST + "\n");
        assertThat(reader.tryLock(LockMode.SHARED)).as("the state lock of a live process").isFalse();
        Files.writeString(state, deadPid() + "\n" + ProcessIdentity.HOST + "\n");
        assertThat(reader.tryLock(LockMode.SHARED)).as("the state lock of a gone process").isTrue();
        reader.unlock();
        assertThat(state).doesNotExist();
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    private static boolean lock(LockSlot slot, LockMode mode) {
        try {
            return slot.lock(mode);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void awaitFile(Path file) throws InterruptedException {
        awaitTrue(() -> Files.exists(file));
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waited 10 s").isNegative();
            Thread.sleep(10);
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
