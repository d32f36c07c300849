package io.github.filelock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.internal.TestHooks;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileLockHold#fencingToken()} on the file backends, in one JVM (across processes: FencingTokensTest). */
class FencingTokenTest {

    @TempDir
    Path tmp;

    @Test
    void eachExclusiveHoldGetsAGreaterTokenAndKeepsItNestedHoldsShareIt() throws Exception {
        try (FileLockRegistry locks = FileLockRegistry.builder(tmp).type(LockType.FLOCK).build()) {
            long first;
            try (FileLockHold outer = locks.acquire("job", Duration.ZERO)) {
                first = outer.fencingToken();
                assertThat(outer.fencingToken()).isEqualTo(first);
                try (FileLockHold nested = locks.acquire("job", Duration.ZERO)) {
                    assertThat(nested.fencingToken()).as("one thread's nested holds are one hold").isEqualTo(first);
                }
            }
            try (FileLockHold next = locks.acquire("job", Duration.ZERO)) {
                assertThat(next.fencingToken()).isEqualTo(first + 1);
            }
            CompletableFuture<Long> async = locks.acquireAsync("job", LockMode.EXCLUSIVE, Duration.ZERO)
                    .thenApply(hold -> {
                        try (hold) {
                            return hold.fencingToken();
                        }
                    });
            assertThat(async.get(10, TimeUnit.SECONDS)).isEqualTo(first + 2);
        }
        try (FileLockRegistry restarted = FileLockRegistry.builder(tmp).type(LockType.FLOCK).syncFencingTokens(true)
                .build(); FileLockHold hold = restarted.acquire("job", Duration.ZERO)) {
            assertThat(hold.fencingToken()).as("the count lives in the file, not in the JVM").isEqualTo(4);
        }
        assertThat(Files.readString(tmp.resolve("job.lock.fence"))).isEqualTo("4\n");
    }

    @Test
    void aDetachedHoldClosedWhileItAsksGetsNoTokenAboveTheNextHolders() throws Exception {
        try (FileLockRegistry locks = FileLockRegistry.builder(tmp).type(LockType.FLOCK).build()) {
            FileLockHold detached = locks.acquireAsync("job").get(10, TimeUnit.SECONDS);
            FileLockHold[] following = new FileLockHold[1];
            long[] next = new long[1];
            // Between the hold's own open check and the token: it is closed (from any thread, as detached holds may
            // be) and the next holder takes the lock and its token. A token now would outrank the live holder's.
            TestHooks.install((point, subject) -> {
                if (point.equals("HoldHandle.fencing") && subject == detached) {
                    TestHooks.install(null);
                    detached.close();
                    following[0] = locks.acquire("job", Duration.ZERO);
                    next[0] = following[0].fencingToken();
                }
            });
            try {
                assertThatThrownBy(detached::fencingToken).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("closed");
            } finally {
                TestHooks.install(null);
                if (following[0] != null) {
                    following[0].close();
                }
            }
            assertThat(next[0]).isPositive();
        }
    }

    @Test
    void aTokenIsAllocatedOnlyWhenAskedFor() {
        try (FileLockRegistry locks = FileLockRegistry.builder(tmp).type(LockType.FLOCK).build()) {
            locks.acquire("quiet", Duration.ZERO).close();
            assertThat(tmp.resolve("quiet.lock.fence")).doesNotExist();
        }
    }

    @Test
    void sharedClosedAndUnsupportedHoldsAreClearErrors() {
        try (FileLockRegistry locks = FileLockRegistry.builder(tmp).type(LockType.FLOCK).build()) {
            try (FileLockHold shared = locks.acquireShared("report", Duration.ZERO)) {
                assertThatThrownBy(shared::fencingToken).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("'report' is held SHARED").hasMessageContaining("EXCLUSIVE");
            }
            FileLockHold closed = locks.acquire("report", Duration.ZERO);
            closed.close();
            assertThatThrownBy(closed::fencingToken).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
        try (FileLockRegistry soft = FileLockRegistry.builder(tmp.resolve("soft")).type(LockType.SOFT).build();
                FileLockHold hold = soft.acquire("report", Duration.ZERO)) {
            assertThatThrownBy(hold::fencingToken).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("soft backend").hasMessageContaining("SoftBackend");
        }
    }

    @Test
    void theCounterFileHasTheDirectorysPermissionsAndIsNeverFollowed() throws Exception {
        Path dir = tmp.resolve("locks");
        try (FileLockRegistry locks = FileLockRegistry.builder(dir).type(LockType.FLOCK).filePermissions("rw-rw----")
                .build()) {
            try (FileLockHold hold = locks.acquire("a", Duration.ZERO)) {
                hold.fencingToken();
            }
            assertThat(Files.getPosixFilePermissions(dir.resolve("a.lock.fence"), LinkOption.NOFOLLOW_LINKS))
                    .isEqualTo(PosixFilePermissions.fromString("rw-rw----"));

            Path victim = Files.writeString(tmp.resolve("victim.txt"), "41\n");
            Files.createSymbolicLink(dir.resolve("b.lock.fence"), victim);
            try (FileLockHold hold = locks.acquire("b", Duration.ZERO)) {
                assertThatThrownBy(hold::fencingToken).isInstanceOf(FileLockException.class)
                        .hasMessageContaining("b.lock.fence").hasMessageContaining("symbolic link");
                assertThat(hold.isValid()).as("a refused token costs no lock").isTrue();
            }
            assertThat(Files.readString(victim)).isEqualTo("41\n");

            Files.writeString(dir.resolve("c.lock.fence"), "not a number");
            try (FileLockHold hold = locks.acquire("c", Duration.ZERO)) {
                assertThatThrownBy(hold::fencingToken).isInstanceOf(FileLockException.class)
                        .hasMessageContaining("c.lock.fence").hasMessageContaining("does not hold a token count");
            }
        }
    }

    @Test
    void deletingIdleLockFilesKeepsTheCounter() throws Exception {
        try (FileLockRegistry locks = FileLockRegistry.builder(tmp).type(LockType.FLOCK).deleteIdleLockFiles(true)
                .maxOpenFiles(1).build()) {
            try (FileLockHold hold = locks.acquire("a", Duration.ZERO)) {
                assertThat(hold.fencingToken()).isEqualTo(1);
            }
            for (int i = 0; i < 4; i++) {
                locks.acquire("other-" + i, Duration.ZERO).close(); // beyond maxOpenFiles: a's idle file is deleted
            }
            assertThat(tmp.resolve("a.lock")).as("the idle lock file was deleted").doesNotExist();
            assertThat(tmp.resolve("a.lock.fence")).exists();
            try (FileLockHold hold = locks.acquire("a", Duration.ZERO)) {
                assertThat(hold.fencingToken()).isEqualTo(2);
            }
        }
    }
}
