package io.github.filelock.internal.soft.strict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.LockHolder;
import io.github.filelock.LockMode;
import io.github.filelock.internal.FileSettings;
import io.github.filelock.internal.LogCapture;
import io.github.filelock.internal.ProcessIdentity;
import io.github.filelock.internal.TestHooks;
import io.github.filelock.internal.soft.StartTokens;
import io.github.filelock.spi.LockBackend.Elsewhere;
import io.github.filelock.spi.LockSlot;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The strict claim protocol on real files, one JVM: layout, ordering, validation, and what is never removed. */
@Timeout(60)
class StrictProtocolTest {

    static final String LOW = "0".repeat(32);
    static final String HIGH = "f".repeat(32);

    @TempDir
    Path dir;
    Path file;
    Path claims;
    final Deque<String> tokens = new ConcurrentLinkedDeque<>();
    // Threads of their own: a contender parked in a hook must not keep the other from running.
    final ExecutorService contenders = Executors.newCachedThreadPool();
    StrictBackend backend;

    @BeforeEach
    void setUp() {
        backend = new StrictBackend(new FileSettings(dir, PosixFilePermissions.fromString("rw-r--r--"), false),
                StrictBackend.DEFAULT_MAX_POLL, () -> tokens.isEmpty() ? RecordFiles.randomHex(32) : tokens.pop());
        file = backend.fileOf("job");
        claims = dir.resolve("job.lock.filelock").resolve("claims");
    }

    @AfterEach
    void tearDown() {
        TestHooks.install(null);
        contenders.shutdownNow();
    }

    @Test
    void aHoldPublishesTheSentinelAndAnIntentAndAHeldClaimOfOneTokenAndReleaseRemovesOnlyTheClaims()
            throws Exception {
        tokens.push(HIGH);
        LockSlot slot = backend.openSlot("job", () -> { });
        assertThat(slot.tryLock(LockMode.EXCLUSIVE)).isTrue();

        assertThat(Files.readAllBytes(file)).isEqualTo("1\nfilelock-strict-v1\0\n0\n".getBytes(StandardCharsets.UTF_8));
        assertThat(names(claims)).containsExactly("held-v1-" + HIGH + ".claim", "intent-v1-" + HIGH + ".claim");
        String hostHex = HexFormat.of().formatHex(ProcessIdentity.HOST.getBytes(StandardCharsets.UTF_8));
        String start = StartTokens.of(ProcessIdentity.PID).map(BigInteger::toString).orElseThrow();
        assertThat(Files.readString(claims.resolve("held-v1-" + HIGH + ".claim"))).isEqualTo(
                "filelock-strict-v1\n" + HIGH + "\n" + ProcessIdentity.PID + "\n" + hostHex + "\n" + start + "\n");
        assertThat(Files.isSameFile(claims.resolve("held-v1-" + HIGH + ".claim"),
                claims.resolve("intent-v1-" + HIGH + ".claim"))).as("the held claim is a link of the intent").isTrue();

        slot.unlock();
        assertThat(names(claims)).isEmpty();
        assertThat(Files.readAllBytes(file)).as("the sentinel is permanent").isEqualTo(Sentinel.RECORD);
        assertThat(slot.isValid()).isTrue();
    }

    @Test
    void anyPublishedClaimBlocksEntryEvenAnIntentAlone() throws Exception {
        LockSlot holder = backend.openSlot("job", () -> { });
        assertThat(holder.tryLock(LockMode.EXCLUSIVE)).isTrue();
        assertThat(backend.openSlot("job", () -> { }).tryLock(LockMode.EXCLUSIVE)).isFalse();
        holder.unlock();

        writeClaim("intent", LOW, ProcessIdentity.PID, ProcessIdentity.HOST);
        assertThat(backend.openSlot("job", () -> { }).tryLock(LockMode.EXCLUSIVE)).isFalse();
        assertThat(names(claims)).containsExactly("intent-v1-" + LOW + ".claim");
    }

    @Test
    void theClaimsOfADeadProcessOnThisHostHoursOldAreNeverRemovedByAContender() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        for (String state : List.of("held", "intent")) {
            Path claim = writeClaim(state, LOW, gone.pid(), ProcessIdentity.HOST);
            Files.setLastModifiedTime(claim, FileTime.from(Instant.now().minus(Duration.ofHours(6))));
        }
        LockSlot slot = backend.openSlot("job", () -> { });
        for (int i = 0; i < 20; i++) {
            assertThat(slot.tryLock(LockMode.EXCLUSIVE)).isFalse();
        }
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> lockQuietly(slot), contenders);
        Thread.sleep(300);
        slot.abandon();
        assertThat(waiting.get(10, TimeUnit.SECONDS)).as("an abandoned wait, never a grant").isFalse();
        assertThat(names(claims)).containsExactly("held-v1-" + LOW + ".claim", "intent-v1-" + LOW + ".claim");
    }

    /**
     * The race the fifth step exists for: contender A (larger token) saw only its own intent and goes on to link its
     * held claim; meanwhile B (smaller token), which passed the empty check before A published, publishes its intent
     * and finds itself smallest. Both link held claims; only the smaller token may hold, and A withdraws both claims.
     */
    @Test
    void aSmallerTokenPublishedLaterOvertakesAContenderThatHasNotLinkedYetAndOnlyOneHolds() throws Exception {
        LockSlot a = backend.openSlot("job", () -> { });
        LockSlot b = backend.openSlot("job", () -> { });
        CountDownLatch bPassedEmptyCheck = new CountDownLatch(1);
        CountDownLatch aWonIntents = new CountDownLatch(1);
        CountDownLatch bHolds = new CountDownLatch(1);
        CountDownLatch goB = new CountDownLatch(1);
        TestHooks.install((point, subject) -> {
            if (subject == b && point.equals("StrictSlot.beforeIntent")) {
                bPassedEmptyCheck.countDown();
                await(goB);
            } else if (subject == a && point.equals("StrictSlot.intentWon")) {
                aWonIntents.countDown();
                await(bHolds);
            }
        });
        tokens.add(LOW); // b draws first: it reaches beforeIntent first
        tokens.add(HIGH);
        CompletableFuture<Boolean> bTry = CompletableFuture.supplyAsync(() -> tryQuietly(b), contenders);
        assertThat(bPassedEmptyCheck.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Boolean> aTry = CompletableFuture.supplyAsync(() -> tryQuietly(a), contenders);
        assertThat(aWonIntents.await(10, TimeUnit.SECONDS)).isTrue();
        goB.countDown();
        assertThat(bTry.get(10, TimeUnit.SECONDS)).as("b, the smaller token").isTrue();
        bHolds.countDown();
        assertThat(aTry.get(10, TimeUnit.SECONDS)).as("a, which had won the intents alone").isFalse();
        assertThat(names(claims)).containsExactly("held-v1-" + LOW + ".claim", "intent-v1-" + LOW + ".claim");
        b.unlock();
        assertThat(a.tryLock(LockMode.EXCLUSIVE)).isTrue();
    }

    @Test
    void aMalformedOrUnknownClaimFailsTheAcquisitionNamingItAndIsLeftAlone() throws Exception {
        Files.createDirectories(claims);
        Path malformed = Files.writeString(claims.resolve("held-v1-" + LOW + ".claim"), "1234\nsomehost\n");
        LockSlot slot = backend.openSlot("job", () -> { });
        assertThatThrownBy(() -> slot.tryLock(LockMode.EXCLUSIVE)).isInstanceOf(StrictProtocolException.class)
                .hasMessageContaining("held-v1-" + LOW + ".claim").hasMessageContaining("malformed claim record")
                .satisfies(e -> assertThat(((StrictProtocolException) e).claim()).isEqualTo(malformed.getFileName()
                        .toString()));
        assertThat(malformed).exists();
        assertThat(names(claims)).as("this contender withdrew nothing it did not publish").hasSize(1);

        Files.delete(malformed);
        Files.writeString(claims.resolve("held-v2-" + LOW + ".claim"), "from a newer protocol");
        assertThatThrownBy(() -> slot.tryLock(LockMode.EXCLUSIVE)).isInstanceOf(StrictProtocolException.class)
                .hasMessageContaining("held-v2-" + LOW + ".claim: unknown claim name or protocol version");
    }

    @Test
    void recordsAreParsedAsStrictlyAsPythonParsesThem() throws Exception {
        ClaimName name = ClaimName.heldBy(LOW);
        String host = HexFormat.of().formatHex("node-1".getBytes(StandardCharsets.UTF_8));
        Claim ok = Claim.parse(file, name, bytes("filelock-strict-v1\n" + LOW + "\n42\n" + host + "\n\n"),
                Instant.EPOCH);
        assertThat(ok.pid()).isEqualTo(42);
        assertThat(ok.host()).isEqualTo("node-1");
        assertThat(ok.start()).isEmpty();
        for (String bad : List.of(
                "filelock-strict-v1\n" + LOW + "\n042\n" + host + "\n\n", // not the canonical pid
                "filelock-strict-v1\n" + LOW + "\n+42\n" + host + "\n\n",
                "filelock-strict-v1\n" + LOW + "\n0\n" + host + "\n\n",
                "filelock-strict-v1\n" + LOW + "\n2147483648\n" + host + "\n\n",
                "filelock-strict-v1\n" + LOW + "\n42\n" + host.toUpperCase() + "\n\n", // not canonical hex
                "filelock-strict-v1\n" + LOW + "\n42\n" + host + "\n-1\n",
                "filelock-strict-v1\n" + LOW + "\n42\n" + host + "\n01\n",
                "filelock-strict-v1\n" + LOW + "\n42\n" + host + "\n\nextra",
                "filelock-strict-v1\n" + HIGH + "\n42\n" + host + "\n\n", // another token than the name's
                "filelock-strict-v2\n" + LOW + "\n42\n" + host + "\n\n",
                "filelock-strict-v1\n" + LOW + "\n42\n" + HexFormat.of().formatHex(bytes("a b")) + "\n\n",
                "filelock-strict-v1\n" + LOW + "\n42\n" + "ff" + "\n\n")) { // not UTF-8
            assertThatThrownBy(() -> Claim.parse(file, name, bytes(bad), Instant.EPOCH)).as(bad)
                    .isInstanceOf(StrictProtocolException.class);
        }
    }

    @Test
    void somethingOtherThanTheSentinelAtThePathMakesAContenderWaitAndIsLeftAlone() throws Exception {
        Files.writeString(file, "4242\nother-host\n");
        LockSlot slot = backend.openSlot("job", () -> { });
        assertThat(slot.tryLock(LockMode.EXCLUSIVE)).isFalse();
        assertThat(Files.readString(file)).isEqualTo("4242\nother-host\n");
        assertThat(backend.inspectElsewhere(List.of("job")).get(0).held()).isTrue();
        Files.delete(file); // the legacy holder released
        assertThat(slot.tryLock(LockMode.EXCLUSIVE)).isTrue();
    }

    @Test
    void privateRecordsAreReclaimedOnceLinkedOrOlderThanTheGraceAndNeverBlock() throws Exception {
        Files.createDirectories(claims);
        Path fresh = Files.writeString(claims.resolve(".intent-v1-" + LOW + ".claim.private-v1-" + LOW + ".tmp"), "x");
        Path old = Files.writeString(claims.resolve(".intent-v1-" + HIGH + ".claim.private-v1-" + HIGH + ".tmp"), "x");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(3)));
        Path linked = Files.writeString(claims.resolve(".intent-v1-" + "1".repeat(32) + ".claim.private-v1-"
                + "2".repeat(32) + ".tmp"), "x");
        Files.createLink(dir.resolve("elsewhere"), linked);

        LockSlot slot = backend.openSlot("job", () -> { });
        assertThat(slot.tryLock(LockMode.EXCLUSIVE)).isTrue();
        assertThat(fresh).as("may still be published by a live writer").exists();
        assertThat(old).doesNotExist();
        assertThat(linked).doesNotExist();
    }

    @Test
    void aClaimDirectoryThatIsASymlinkFailsClosed() throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.createSymbolicLink(dir.resolve("job.lock.filelock"), elsewhere);
        assertThatThrownBy(() -> backend.openSlot("job", () -> { }).tryLock(LockMode.EXCLUSIVE))
                .isInstanceOf(StrictProtocolException.class).hasMessageContaining("is not a real directory");
        assertThat(elsewhere).isEmptyDirectory();
    }

    @Test
    void breakLockRemovesBothClaimsOfTheHolderNamesItAndTheHolderLearnsItsHoldWasLost() throws Exception {
        assertThat(backend.breakLock("job")).isEmpty();
        AtomicInteger losses = new AtomicInteger();
        LockSlot holder = backend.openSlot("job", losses::incrementAndGet);
        tokens.add(LOW);
        assertThat(holder.tryLock(LockMode.EXCLUSIVE)).isTrue();
        writeClaim("intent", HIGH, 4242, "other-host"); // a contender that crashed in the doorway stays

        Optional<LockHolder> broken;
        try (LogCapture log = new LogCapture()) {
            broken = backend.breakLock("job");
            assertThat(log.warnings()).singleElement().asString()
                    .contains(claims.resolve("held-v1-" + LOW + ".claim").toString())
                    .contains(claims.resolve("intent-v1-" + LOW + ".claim").toString())
                    .contains("pid " + ProcessIdentity.PID).contains("intent-v1-" + HIGH + ".claim");
        }
        assertThat(broken).get().satisfies(h -> {
            assertThat(h.pid()).isEqualTo(ProcessIdentity.PID);
            assertThat(h.host()).isEqualTo(ProcessIdentity.HOST);
        });
        assertThat(names(claims)).containsExactly("intent-v1-" + HIGH + ".claim");
        assertThat(file).exists();

        holder.unlock();
        assertThat(losses).hasValue(1);
        assertThat(holder.isValid()).isFalse();
        assertThat(backend.breakLock("job")).get().extracting(LockHolder::pid).isEqualTo(4242L);
        assertThat(names(claims)).isEmpty();
    }

    @Test
    void diagnosticsNameTheHolderAndListOnlyKeysStrictLocksUsed() throws Exception {
        Files.writeString(dir.resolve("flocked.lock"), "");
        assertThat(backend.knownKeys()).isEmpty();
        writeClaim("held", LOW, 4242, "node-b");
        writeClaim("intent", LOW, 4242, "node-b");
        assertThat(backend.knownKeys()).containsExactly("job");
        Elsewhere seen = backend.inspectElsewhere(List.of("job")).get(0);
        assertThat(seen.held()).isTrue();
        assertThat(seen.holder()).get().satisfies(h -> {
            assertThat(h.pid()).isEqualTo(4242);
            assertThat(h.host()).isEqualTo("node-b");
            assertThat(h.name()).contains("job");
        });
        assertThat(backend.holdersElsewhere("job")).extracting(LockHolder::pid).containsExactly(4242L);
    }

    Path writeClaim(String state, String token, long pid, String host) throws Exception {
        Files.createDirectories(claims);
        return Files.write(claims.resolve(state + "-v1-" + token + ".claim"),
                Claim.record(token, pid, host, Optional.of(BigInteger.TEN)));
    }

    /**
     * A claim published by {@code link(2)} is this slot's the moment the link succeeds. An error after it (a failed
     * look at the new name; on NFS, a retransmitted link answered EEXIST) must not leave the claim behind unknown to
     * the slot: nothing else ever removes a strict claim, so every contender, Java or Python, would wait for it
     * forever.
     */
    @Test
    void aClaimLinkedJustBeforeAnErrorIsWithdrawnNotLeftToBlockEveryone() throws Exception {
        for (String failing : List.of("intent-v1-", "held-v1-")) {
            TestHooks.install((point, subject) -> {
                if (point.equals("RecordFiles.linked") && subject.toString().contains(failing)) {
                    throw new java.io.UncheckedIOException(new java.io.IOException("EIO (forced by the test)"));
                }
            });
            LockSlot slot = backend.openSlot("job", () -> { });
            assertThatThrownBy(() -> slot.tryLock(LockMode.EXCLUSIVE)).hasMessageContaining("forced by the test");
            TestHooks.install(null);

            assertThat(names(claims)).as("claims left after an error just after linking %s", failing).isEmpty();
            LockSlot next = backend.openSlot("job", () -> { });
            assertThat(next.tryLock(LockMode.EXCLUSIVE)).as("the lock is free again").isTrue();
            next.unlock();
        }
    }

    /** A holder that released between the break's read and its removal lost nothing: the break says so. */
    @Test
    void aBreakThatFindsTheClaimsAlreadyGoneRemovesNothingAndNamesNoHolder() throws Exception {
        LockSlot holder = backend.openSlot("job", () -> { });
        assertThat(holder.tryLock(LockMode.EXCLUSIVE)).isTrue();
        TestHooks.install((point, subject) -> {
            if (point.equals("StrictBackend.breaking")) {
                try {
                    holder.unlock();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        Optional<LockHolder> broken = backend.breakLock("job");
        TestHooks.install(null);
        assertThat(broken).as("nothing was removed, so no holder was broken").isEmpty();
        assertThat(holder.isValid()).isTrue();
    }

    static List<String> names(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static boolean tryQuietly(LockSlot slot) {
        try {
            return slot.tryLock(LockMode.EXCLUSIVE);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean lockQuietly(LockSlot slot) {
        try {
            return slot.lock(LockMode.EXCLUSIVE);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
