package io.github.filelock.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.LockMode;
import io.github.filelock.spi.LockSlot;
import io.github.filelock.test.internal.Background;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** An abandoned wait leaves nothing queued on the server, and nothing held. */
class AbandonTest {

    @Test
    void anAbandonedWriterNoLongerHoldsBackReaders() throws Exception {
        AdvisoryKey key = AdvisoryKey.of(TestServer.NAMESPACE, "abandon-1");
        try (PostgresLockBackend backend = PostgresLockBackend.open(TestServer.settings().build());
             LockSlot writer = backend.openSlot("abandon-1", () -> { });
             Connection reader1 = TestServer.connect();
             Connection reader2 = TestServer.connect();
             ServerView view = new ServerView()) {
            assertThat(tryShared(reader1, key)).isTrue();
            CompletableFuture<Background.Result> waited = Background.lock(writer, LockMode.EXCLUSIVE);
            ServerView.await("the writer queues", Duration.ofSeconds(30), () -> view.waiting(key).size() == 1);
            assertThat(tryShared(reader2, key)).as("held back by the queued writer").isFalse();

            writer.abandon();
            assertThat(waited.get(30, TimeUnit.SECONDS).granted()).isFalse();
            assertThat(view.waiting(key)).as("nothing queued").isEmpty();
            assertThat(tryShared(reader2, key)).as("a reader after the abandoned wait").isTrue();
        }
    }

    @Test
    void anAbandonBeforeTheWaitStartsStopsIt() throws Exception {
        try (PostgresLockBackend backend = PostgresLockBackend.open(TestServer.settings().build());
             LockSlot slot = backend.openSlot("abandon-2", () -> { })) {
            slot.abandon();
            assertThat(slot.lock(LockMode.EXCLUSIVE)).isFalse();
            assertThat(slot.tryLock(LockMode.EXCLUSIVE)).as("the abandon was used up by that wait").isTrue();
            slot.unlock();
        }
    }

    /**
     * The grant and the cancel in one statement of another session: pg_advisory_unlock hands the lock to the waiter
     * and pg_cancel_backend cancels it right after, so the waiter's statement fails although it holds the lock.
     * Whichever way each round goes, the waiter ends holding the lock only when lock() said so; and the test needs
     * the last-moment case to have happened at least once.
     */
    @Test
    void aLockGrantedJustBeforeTheCancelIsReleased() throws Exception {
        AdvisoryKey key = AdvisoryKey.of(TestServer.NAMESPACE, "abandon-3");
        Connector connector = new Connector(TestServer.settings().build(), LossBounds.of(Duration.ofSeconds(5)),
                "filelock-test-abandon");
        int lastMoment = 0;
        try (Connection holder = TestServer.connect(); ServerView view = new ServerView()) {
            for (int round = 0; round < 20 && lastMoment < 3; round++) {
                try (Session waiter = connector.open()) {
                    exec(holder, "SELECT pg_advisory_lock(" + key.value() + ")");
                    AtomicBoolean abandoned = new AtomicBoolean();
                    CompletableFuture<Boolean> result = new CompletableFuture<>();
                    Thread t = new Thread(() -> {
                        try {
                            result.complete(waiter.lock(key, LockMode.EXCLUSIVE, abandoned::get));
                        } catch (Throwable e) {
                            result.completeExceptionally(e);
                        }
                    });
                    t.start();
                    ServerView.await("the waiter queues", Duration.ofSeconds(30), () -> view.waiting(key).size() == 1);
                    abandoned.set(true);
                    exec(holder, "SELECT pg_advisory_unlock(" + key.value() + "), pg_cancel_backend("
                            + waiter.backendPid() + ")");
                    boolean granted = result.get(30, TimeUnit.SECONDS);
                    assertThat(view.waiting(key)).isEmpty();
                    if (granted) {
                        assertThat(view.granted(key)).containsExactly(waiter.backendPid());
                        waiter.unlock(key, LockMode.EXCLUSIVE);
                    } else {
                        lastMoment++;
                        assertThat(view.granted(key)).as("released after the late cancel").isEmpty();
                    }
                }
            }
        }
        assertThat(lastMoment).as("rounds where the cancel came after the grant").isPositive();
    }

    private static boolean tryShared(Connection c, AdvisoryKey key) throws Exception {
        try (PreparedStatement st = c.prepareStatement("SELECT pg_try_advisory_lock_shared(?)")) {
            st.setLong(1, key.value());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void exec(Connection c, String sql) throws Exception {
        try (var st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
