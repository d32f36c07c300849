package io.github.filelock.internal.soft;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import io.github.filelock.fuse.FuseMount;
import io.github.filelock.internal.TestHooks;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every soft backend this copy builds gives its {@link SoftCopies} claim back once its registries are closed, or the
 * claim outlives them and another copy of the library in this JVM is refused soft locks for good. Counted as a
 * difference, so soft registries that other tests of this JVM left open do not matter.
 */
class SoftCopiesClaimTest {

    @TempDir
    Path tmp;
    FuseMount fuse;

    @BeforeEach
    void mount() throws Exception {
        fuse = FuseMount.start(tmp, "noflockfs.py"); // a file system that refuses flock: AUTO resolves to SOFT
    }

    @AfterEach
    void unmount() throws Exception {
        TestHooks.install(null);
        if (fuse != null) {
            fuse.close();
        }
    }

    /**
     * Two AUTO builds on one directory: the first resolves its backend (a SoftBackend, which claims) while the
     * second creates the directory's soft space; the first then joins that space, and its own backend is dropped
     * without being closed.
     */
    @Test
    void twoAutoBuildsRacingOnOneDirectoryGiveUpEveryClaim() throws Exception {
        Path dir = fuse.mount().resolve("locks");
        int before = openSoftBackends();
        CountDownLatch parked = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        Thread first = Thread.currentThread();
        TestHooks.install((point, subject) -> {
            if (point.equals("TypeSelector.loadFlock") && Thread.currentThread() != first && parked.getCount() > 0) {
                parked.countDown();
                await(go);
            }
        });
        CompletableFuture<FileLockRegistry> racing = CompletableFuture.supplyAsync(
                () -> FileLockRegistry.builder(dir).type(LockType.AUTO).build());
        assertThat(parked.await(20, TimeUnit.SECONDS)).as("the racing build reached the flock probe").isTrue();
        try (FileLockRegistry winner = FileLockRegistry.builder(dir).type(LockType.AUTO).build()) {
            assertThat(winner.type()).isEqualTo(LockType.SOFT);
            go.countDown();
            try (FileLockRegistry loser = racing.get(20, TimeUnit.SECONDS)) {
                assertThat(loser.type()).isEqualTo(LockType.SOFT);
            }
        } finally {
            go.countDown();
            TestHooks.install(null);
        }
        assertThat(openSoftBackends()).as("soft backends of this copy still claiming, once both registries closed")
                .isEqualTo(before);
    }

    private static int openSoftBackends() throws ReflectiveOperationException {
        Field open = SoftCopies.class.getDeclaredField("open");
        open.setAccessible(true);
        synchronized (SoftCopies.class) {
            return open.getInt(null);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
