package io.github.filelock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReentrancyTest {

    @TempDir
    Path dir;
    FileLockRegistry locks;

    @AfterEach
    void tearDown() {
        if (locks != null) {
            locks.close();
        }
    }

    private FileLockRegistry locks() {
        locks = FileLockRegistry.builder(dir).build();
        return locks;
    }

    @Test
    void nestedAcquiresCountHoldsAndReleaseOnTheLastClose() throws Exception {
        FileLockRegistry locks = locks();
        assertThat(locks.holdCount("embeddings")).isZero();
        try (FileLockHold outer = locks.acquire("embeddings", Duration.ofSeconds(1))) {
            assertThat(locks.holdCount("embeddings")).isEqualTo(1);
            try (FileLockHold inner = locks.acquire("embeddings", Duration.ZERO)) {
                assertThat(locks.holdCount("embeddings")).isEqualTo(2);
                assertThat(locks.isHeldByCurrentThread("embeddings")).isTrue();
            }
            assertThat(locks.holdCount("embeddings")).isEqualTo(1);
            assertThat(otherThreadCanTake(locks, "embeddings")).isFalse();
        }
        assertThat(locks.holdCount("embeddings")).isZero();
        assertThat(locks.isHeldByCurrentThread("embeddings")).isFalse();
        assertThat(otherThreadCanTake(locks, "embeddings")).isTrue();
    }

    @Test
    void closingAHoldTwiceReleasesOnlyOnce() throws Exception {
        FileLockRegistry locks = locks();
        FileLockHold outer = locks.acquire("x", Duration.ZERO);
        FileLockHold inner = locks.acquire("x", Duration.ZERO);
        inner.close();
        inner.close();
        assertThat(inner.isOpen()).isFalse();
        assertThat(locks.holdCount("x")).isEqualTo(1);
        outer.close();
        assertThat(locks.holdCount("x")).isZero();
    }

    @Test
    void onlyTheOwningThreadMayRelease() throws Exception {
        FileLockRegistry locks = locks();
        try (FileLockHold hold = locks.acquire("x", Duration.ZERO)) {
            CompletableFuture<Void> foreignClose = CompletableFuture.runAsync(hold::close);
            assertThatThrownBy(() -> foreignClose.get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IllegalMonitorStateException.class)
                    .hasMessageContaining("only the thread that acquired a lock can release it");
            assertThat(hold.isOpen()).isTrue();
            assertThat(otherThreadCanTake(locks, "x")).isFalse();
        }
    }

    @Test
    void aHoldSaysWhetherItIsThreadBoundAndADetachedOneClosesOnAnyThreadOnce() throws Exception {
        FileLockRegistry locks = locks();
        try (FileLockHold hold = locks.acquire("bound", Duration.ZERO)) {
            assertThat(hold.isThreadBound()).isTrue();
        }
        FileLockHold detached = locks.acquireAsync("detached", Duration.ZERO).get(5, TimeUnit.SECONDS);
        assertThat(detached.isThreadBound()).isFalse();
        CompletableFuture.runAsync(detached::close).get(5, TimeUnit.SECONDS);
        assertThat(detached.isOpen()).isFalse();
        assertThat(otherThreadCanTake(locks, "detached")).isTrue();
        FileLockHold next = locks.acquireAsync("detached", Duration.ZERO).get(5, TimeUnit.SECONDS);
        detached.close(); // a second close, on yet another thread: releases nothing
        assertThat(next.isOpen()).isTrue();
        assertThat(otherThreadCanTake(locks, "detached")).isFalse();
        next.close();
    }

    @Test
    void theLockViewIsReentrantAndRejectsUnlockWithoutAHold() throws Exception {
        FileLockRegistry locks = locks();
        Lock lock = locks.obtain("view");
        lock.lock();
        assertThat(lock.tryLock()).isTrue();
        assertThat(lock.tryLock(10, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(locks.holdCount("view")).isEqualTo(3);
        lock.unlock();
        lock.unlock();
        lock.unlock();
        assertThat(locks.holdCount("view")).isZero();
        assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class);
        assertThatThrownBy(lock::newCondition).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void executeLockedReturnsTheResultAndReleasesEvenOnACheckedException() throws Exception {
        FileLockRegistry locks = locks();
        int answer = locks.executeLocked("x", Duration.ofSeconds(1), () -> locks.holdCount("x") * 42);
        assertThat(answer).isEqualTo(42);
        assertThatThrownBy(() -> locks.executeLocked("x", Duration.ofSeconds(1), () -> {
            throw new IOException("disk full");
        })).isInstanceOf(IOException.class).hasMessage("disk full");
        assertThat(locks.holdCount("x")).isZero();
        assertThat(otherThreadCanTake(locks, "x")).isTrue();
    }

    @Test
    void executeLockedInAModeAndRunLockedForWorkWithoutAResult() throws Exception {
        FileLockRegistry locks = locks();
        boolean[] sharedBeside = new boolean[2];
        String mode = locks.executeLocked("x", LockMode.SHARED, Duration.ofSeconds(1), () -> {
            sharedBeside[0] = otherThreadCanTake(locks, "x", LockMode.SHARED);
            sharedBeside[1] = otherThreadCanTake(locks, "x", LockMode.EXCLUSIVE);
            return locks.diagnostics().localHolds().get(0).mode().name();
        });
        assertThat(mode).isEqualTo("SHARED");
        assertThat(sharedBeside).as("a reader, a writer beside it").containsExactly(true, false);

        int[] held = new int[1];
        locks.runLocked("x", Duration.ofSeconds(1), () -> held[0] = locks.holdCount("x"));
        assertThat(held[0]).isEqualTo(1);
        locks.runLocked("x", LockMode.SHARED, Duration.ZERO, () -> held[0] = locks.holdCount("x") + 1);
        assertThat(held[0]).isEqualTo(2);
        assertThatThrownBy(() -> locks.runLocked("x", Duration.ofSeconds(1), () -> {
            throw new IOException("disk full"); // checked, and no catch needed beyond the caller's
        })).isInstanceOf(IOException.class).hasMessage("disk full");
        assertThat(locks.holdCount("x")).isZero();
        assertThat(otherThreadCanTake(locks, "x")).isTrue();
    }

    @Test
    void aClosedRegistryRefusesNewLocks() {
        FileLockRegistry locks = locks();
        locks.close();
        assertThatThrownBy(() -> locks.tryAcquire("x")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void aHoldOutlivingItsRegistryStillExcludesAndANewRegistryReusesItsState() throws Exception {
        FileLockRegistry first = FileLockRegistry.builder(dir).build();
        FileLockHold hold = first.acquire("x", Duration.ZERO);
        first.close();
        locks = FileLockRegistry.builder(dir).build();
        assertThat(locks.holdCount("x")).as("same JVM-wide state").isEqualTo(1);
        assertThat(otherThreadCanTake(locks, "x")).isFalse();
        hold.close();
        assertThat(otherThreadCanTake(locks, "x")).isTrue();
    }

    static boolean otherThreadCanTake(FileLockRegistry locks, String name) throws Exception {
        return otherThreadCanTake(locks, name, LockMode.EXCLUSIVE);
    }

    static boolean otherThreadCanTake(FileLockRegistry locks, String name, LockMode mode) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            var hold = locks.tryAcquire(name, mode);
            hold.ifPresent(FileLockHold::close);
            return hold.isPresent();
        }).get(5, TimeUnit.SECONDS);
    }
}
