package io.github.filelock.internal.soft.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockHolder;
import io.github.filelock.LockMode;
import io.github.filelock.LockType;
import io.github.filelock.internal.FileSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code soft-lease} judges the markers it finds, written on disk byte for byte as Python filelock 3.32 writes
 * them (protocol 2 leases from another host, protocol 1 markers, the strict sentinel, torn content), and the
 * operator's {@code breakLock}.
 */
class SoftLeaseMarkerTest {

    private static final String OTHER_HOST = "build-node-7.cluster.internal";

    @TempDir
    Path dir;
    FileLockRegistry locks;
    Path marker;

    @BeforeEach
    void setUp() {
        locks = FileLockRegistry.builder(dir).type(LockType.SOFT_LEASE).softLease(Duration.ofSeconds(2))
                .softHeartbeat(Duration.ofMillis(500)).build();
        marker = locks.diagnostics().lockFile("shared");
    }

    @AfterEach
    void tearDown() {
        locks.close();
    }

    @Test
    void anotherHostsLeaseIsBrokenOnceItsWrittenLeaseRanOutAndNotBefore() throws Exception {
        write(pythonLease(OTHER_HOST, "2.0"), Duration.ofMillis(1500));
        assertThat(locks.tryAcquire("shared")).as("1.5 s old, lease 2 s").isEmpty();
        age(Duration.ofMillis(2100));
        try (FileLockHold hold = locks.tryAcquire("shared").orElseThrow()) {
            assertThat(Files.readString(marker)).contains("pid=" + ProcessHandle.current().pid());
        }
    }

    @Test
    void aLeaseOfAnotherDurationIsRefusedWithTheFix() throws Exception {
        write(pythonLease(OTHER_HOST, "30.0"), Duration.ofHours(1));
        assertThatThrownBy(() -> locks.tryAcquire("shared"))
                .hasMessageContaining(marker.toString())
                .hasMessageContaining("holds a lease of 30.0 s (pid 4321 on " + OTHER_HOST)
                .hasMessageContaining("uses a lease of 2.0 s")
                .hasMessageContaining("Set this process's lease to 30.0 s");
        assertThat(marker).as("never broken by our own expiry").exists();
    }

    @Test
    void markersThatAgreedToNoLeaseAreNeverAgedOut() throws Exception {
        write("4321\n" + OTHER_HOST + "\n123\n", Duration.ofHours(5)); // protocol 1, SoftFileLock on another host
        assertThat(locks.tryAcquire("shared")).isEmpty();
        write(LeaseJudge.STRICT_SENTINEL, Duration.ofHours(5)); // StrictSoftFileLock's sentinel
        assertThat(locks.tryAcquire("shared")).isEmpty();
        write("filelock/2\npid=4321\nhost=" + OTHER_HOST + "\nmode=fenced\nepoch=9\n", Duration.ofHours(5));
        assertThat(locks.tryAcquire("shared")).as("a mode this version does not know").isEmpty();
    }

    @Test
    void aMalformedMarkerIsBrokenAfterTheGraceOfTwoSeconds() throws Exception {
        write("filelock/2\npid=4321\nhost=x\nmode=lease\n", Duration.ofMillis(500)); // a lease without a token
        assertThat(locks.tryAcquire("shared")).as("may be a marker between create and write").isEmpty();
        age(Duration.ofMillis(2100));
        locks.tryAcquire("shared").orElseThrow().close();
    }

    @Test
    void aRecordPythonCannotReadIsMalformedToUsToo() throws Exception {
        // Python reads at most 1024 bytes: to it this is no record at all, so its lease of 30 s is no mismatch either
        String oversized = pythonLease("h".repeat(1100), "30.0");
        write(oversized, Duration.ofMillis(500));
        assertThat(locks.tryAcquire("shared")).as("within the grace of a fresh marker").isEmpty();
        age(Duration.ofMillis(2100));
        locks.tryAcquire("shared").orElseThrow().close();
    }

    @Test
    void aDeadOwnerOnThisHostIsBrokenAtOnce() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        write(pythonLease(io.github.filelock.internal.ProcessIdentity.HOST, "2.0")
                .replace("pid=4321", "pid=" + gone.pid()), Duration.ZERO);
        locks.tryAcquire("shared").orElseThrow().close();
    }

    @Test
    void softAndSoftLeaseNamesShareADirectoryAndFileChannelStaysRefusedBesideThem() throws Exception {
        try (FileLockRegistry soft = FileLockRegistry.builder(dir).type(LockType.SOFT).build();
             FileLockHold lease = locks.acquire("leased", Duration.ZERO);
             FileLockHold plain = soft.acquire("plain", Duration.ZERO)) {
            assertThat(Files.readString(locks.diagnostics().lockFile("leased"))).startsWith("filelock/2\n");
            assertThat(Files.readString(soft.diagnostics().lockFile("plain")))
                    .startsWith(ProcessHandle.current().pid() + "\n");
        }
        assertThatThrownBy(() -> FileLockRegistry.builder(dir).type(LockType.FILE_CHANNEL).build())
                .isInstanceOf(io.github.filelock.MixedLockTypesException.class).hasMessageContaining("SOFT_LEASE");
    }

    @Test
    void sharedIsRefusedNamingSoftRw() {
        assertThatThrownBy(() -> locks.acquire("shared", LockMode.SHARED, Duration.ZERO))
                .hasMessageContaining("soft-rw");
    }

    @Test
    void anOperatorBreakRemovesTheMarkerAndNamesItsOwner() throws Exception {
        LeaseBackend backend = new LeaseBackend(new FileSettings(dir, PosixFilePermissions.fromString("rw-r--r--"),
                false), Duration.ofMillis(500), Duration.ofSeconds(2));
        assertThat(backend.breakLock("shared")).isEmpty();
        write(pythonLease(OTHER_HOST, "2.0"), Duration.ZERO);
        Optional<LockHolder> holder = backend.breakLock("shared");
        assertThat(holder).hasValueSatisfying(h -> {
            assertThat(h.pid()).isEqualTo(4321);
            assertThat(h.host()).isEqualTo(OTHER_HOST);
        });
        assertThat(marker).doesNotExist();
        assertThat(backend.brokenMarkers()).isEqualTo(1);
    }

    @Test
    void theRecordRoundTripsAndRejectsWhatPythonRejects() {
        LeaseRecord record = new LeaseRecord(42, "h", "lease", Optional.of("ab"), 30.0, Optional.empty());
        assertThat(new String(record.format())).isEqualTo("filelock/2\npid=42\nhost=h\nmode=lease\ntoken=ab\n"
                + "duration=30.0\n");
        assertThat(LeaseRecord.parse(record.format())).contains(record);
        assertThat(LeaseRecord.parse("filelock/2\npid=42\nhost=h\nmode=lease\ntoken=ab\nduration=30\n".getBytes()))
                .as("Python's repr of an int lease").hasValueSatisfying(r -> assertThat(r.duration()).isEqualTo(30.0));
        assertThat(LeaseRecord.parse("filelock/2\npid=42\nhost=h\nmode=lease\ntoken=ab\nduration=nan\n".getBytes()))
                .isEmpty();
        assertThat(LeaseRecord.parse("filelock/2\npid=0\nhost=h\nmode=lease\ntoken=ab\nduration=1.0\n".getBytes()))
                .isEmpty();
        assertThat(LeaseRecord.parse("filelock/2\npid=1\nhost=h\nmode=lease\ntoken=a\nduration=1.0\nnew=x\n"
                .getBytes())).as("unknown keys are a newer filelock's").isPresent();
        assertThat(LeaseRecord.parse("42\nh\n".getBytes())).isEmpty();
    }

    // The bytes SoftFileLease writes (encode_marker): a 32-hex token, repr(lease_duration), the start token.
    private static String pythonLease(String host, String duration) {
        return "filelock/2\npid=4321\nhost=" + host + "\nmode=lease\ntoken=" + "5f".repeat(16) + "\nduration="
                + duration + "\nstart=123456789\n";
    }

    private void write(String content, Duration age) throws Exception {
        Files.writeString(marker, content);
        age(age);
    }

    private void age(Duration age) throws Exception {
        Files.setLastModifiedTime(marker, FileTime.from(Instant.now().minus(age)));
    }
}
