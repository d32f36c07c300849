package io.github.filelock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code obtainReadWrite(name)} with real threads: readers share, the writer excludes, and no upgrade deadlocks. */
@Timeout(60)
class ReadWriteViewTest extends RegistryWithProcesses {

    @Test
    void readersShareAndKeepTheWriterOut() throws Exception {
        ReadWriteLock rw = locks.obtainReadWrite("index");
        rw.readLock().lock();
        try {
            assertThat(onOtherThread(() -> tryAndUnlock(rw.readLock()))).as("a second reader").isTrue();
            assertThat(onOtherThread(() -> tryAndUnlock(rw.writeLock()))).as("a writer").isFalse();
            assertThat(onOtherThread(() -> tryAndUnlock(locks.obtain("index")))).as("obtain's view").isFalse();
        } finally {
            rw.readLock().unlock();
        }
        assertThat(onOtherThread(() -> tryAndUnlock(rw.writeLock()))).as("a writer once the reader left").isTrue();
    }

    @Test
    void theWriterKeepsReadersAndWritersOut() throws Exception {
        ReadWriteLock rw = locks.obtainReadWrite("index");
        rw.writeLock().lock();
        try {
            assertThat(onOtherThread(() -> tryAndUnlock(rw.readLock()))).as("a reader").isFalse();
            assertThat(onOtherThread(() -> rw.readLock().tryLock(50, TimeUnit.MILLISECONDS))).as("a timed reader")
                    .isFalse();
            assertThat(onOtherThread(() -> tryAndUnlock(rw.writeLock()))).as("a writer").isFalse();
        } finally {
            rw.writeLock().unlock();
        }
        assertThat(onOtherThread(() -> tryAndUnlock(rw.readLock()))).isTrue();
    }

    @Test
    void bothAreReentrantAndAReadInsideTheWriteIsANestedHold() throws Exception {
        ReadWriteLock rw = locks.obtainReadWrite("index");
        rw.writeLock().lock();
        rw.writeLock().lock();
        rw.readLock().lock();
        assertThat(locks.holdCount("index")).isEqualTo(3);
        rw.writeLock().unlock();
        rw.writeLock().unlock();
        assertThat(onOtherThread(() -> tryAndUnlock(rw.readLock()))).as("still exclusive: no downgrade").isFalse();
        rw.readLock().unlock();
        assertThat(locks.holdCount("index")).isZero();

        rw.readLock().lock();
        rw.readLock().lock();
        assertThat(locks.holdCount("index")).isEqualTo(2);
        rw.readLock().unlock();
        rw.readLock().unlock();
        assertThat(onOtherThread(() -> tryAndUnlock(rw.writeLock()))).isTrue();
    }

    @Test
    void anUpgradeFailsClearlyInsteadOfDeadlockingAndTheReadLockStaysHeld() throws Exception {
        ReadWriteLock rw = locks.obtainReadWrite("index");
        rw.readLock().lock();
        try {
            assertThatIllegalStateException().isThrownBy(() -> rw.writeLock().lock())
                    .withMessageContaining("'index'").withMessageContaining("upgrading is not supported");
            assertThatIllegalStateException().isThrownBy(() -> rw.writeLock().tryLock());
            assertThatIllegalStateException().isThrownBy(() -> rw.writeLock().tryLock(1, TimeUnit.DAYS));
            assertThatThrownBy(() -> rw.writeLock().unlock()).as("it holds no write lock")
                    .isInstanceOf(IllegalMonitorStateException.class).hasMessageContaining("read lock");
            assertThat(locks.holdCount("index")).isEqualTo(1);
            assertThat(onOtherThread(() -> tryAndUnlock(rw.readLock()))).as("still shared").isTrue();
        } finally {
            rw.readLock().unlock();
        }
        assertThat(locks.holdCount("index")).isZero();
    }

    @Test
    void unlockingWhatAnotherThreadHoldsIsIllegalMonitorState() throws Exception {
        ReadWriteLock rw = locks.obtainReadWrite("index");
        rw.writeLock().lock();
        try {
            for (Lock lock : new Lock[] {rw.readLock(), rw.writeLock()}) {
                assertThatThrownBy(() -> onOtherThread(() -> {
                    lock.unlock();
                    return null;
                })).isInstanceOf(IllegalMonitorStateException.class).hasMessageContaining("not held by thread");
            }
            assertThat(locks.holdCount("index")).isEqualTo(1);
        } finally {
            rw.writeLock().unlock();
        }
    }

    private static boolean tryAndUnlock(Lock lock) {
        if (lock.tryLock()) {
            lock.unlock();
            return true;
        }
        return false;
    }

    private static <T> T onOtherThread(Callable<T> call) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(call.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "other-thread");
        thread.start();
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : new RuntimeException(e.getCause());
        }
    }
}
