package io.github.filelock.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.LockMode;
import io.github.filelock.spi.LockSlot;
import io.github.filelock.test.internal.Background;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** SHARED across sessions: readers share, a writer excludes them, a queued writer holds back new readers. */
class SharedModeTest {

    @Test
    void readersShareAndAWriterExcludesThem() throws Exception {
        try (PostgresLockBackend backend = PostgresLockBackend.open(TestServer.settings().build());
             LockSlot reader1 = backend.openSlot("shared-1", () -> { });
             LockSlot reader2 = backend.openSlot("shared-1", () -> { });
             LockSlot writer = backend.openSlot("shared-1", () -> { })) {
            assertThat(reader1.tryLock(LockMode.SHARED)).isTrue();
            assertThat(reader2.tryLock(LockMode.SHARED)).isTrue();
            assertThat(writer.tryLock(LockMode.EXCLUSIVE)).isFalse();
            reader1.unlock();
            reader2.unlock();
            assertThat(writer.tryLock(LockMode.EXCLUSIVE)).isTrue();
            assertThat(reader1.tryLock(LockMode.SHARED)).isFalse();
            writer.unlock();
        }
    }

    @Test
    void aQueuedWriterHoldsBackANewReader() throws Exception {
        AdvisoryKey key = AdvisoryKey.of(TestServer.NAMESPACE, "shared-2");
        try (PostgresLockBackend backend = PostgresLockBackend.open(TestServer.settings().build());
             LockSlot reader1 = backend.openSlot("shared-2", () -> { });
             LockSlot writer = backend.openSlot("shared-2", () -> { });
             LockSlot reader2 = backend.openSlot("shared-2", () -> { });
             ServerView view = new ServerView()) {
            assertThat(reader1.tryLock(LockMode.SHARED)).isTrue();
            CompletableFuture<Background.Result> written = Background.lock(writer, LockMode.EXCLUSIVE);
            ServerView.await("the writer queues", Duration.ofSeconds(30), () -> view.waiting(key).size() == 1);
            assertThat(reader2.tryLock(LockMode.SHARED)).as("a new reader behind a queued writer").isFalse();
            reader1.unlock();
            assertThat(written.get(30, java.util.concurrent.TimeUnit.SECONDS).granted()).isTrue();
            writer.unlock();
            assertThat(reader2.tryLock(LockMode.SHARED)).isTrue();
            reader2.unlock();
        }
    }
}
