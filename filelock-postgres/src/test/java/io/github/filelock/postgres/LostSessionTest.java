package io.github.filelock.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.LockMode;
import io.github.filelock.spi.LockSlot;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A held session that the server ends is a lost hold: onLoss, isValid false, and the lock free for others. */
class LostSessionTest {

    @Test
    void terminatedSessionIsDeclaredLostWithinTheBound() throws Exception {
        Duration keepalive = Duration.ofSeconds(1);
        AdvisoryKey key = AdvisoryKey.of(TestServer.NAMESPACE, "lost-1");
        CountDownLatch lost = new CountDownLatch(1);
        try (PostgresLockBackend backend = PostgresLockBackend.open(
                     TestServer.settings().keepalive(keepalive).build());
             LockSlot slot = backend.openSlot("lost-1", lost::countDown);
             ServerView view = new ServerView();
             Connection other = TestServer.connect()) {
            assertThat(slot.tryLock(LockMode.EXCLUSIVE)).isTrue();
            List<Integer> holder = view.granted(key);
            assertThat(holder).hasSize(1);
            assertThat(slot.isValid()).isTrue();

            view.terminate(holder.get(0));
            assertThat(lost.await(LossBounds.of(keepalive).holderDeclaresWithin().toMillis(), TimeUnit.MILLISECONDS))
                    .as("onLoss within 2 x keepalive").isTrue();
            assertThat(slot.isValid()).isFalse();
            try (Statement st = other.createStatement();
                 ResultSet rs = st.executeQuery("SELECT pg_try_advisory_lock(" + key.value() + ")")) {
                rs.next();
                assertThat(rs.getBoolean(1)).as("another session takes the lost lock").isTrue();
            }

            slot.unlock(); // quietly: the lock went with the session
            assertThat(slot.isValid()).isTrue();
            assertThat(slot.tryLock(LockMode.EXCLUSIVE)).as("the other session holds it now").isFalse();
        }
    }

    @Test
    void lockSessionsCarryTheServerSideTimeouts() throws Exception {
        LossBounds bounds = LossBounds.of(Duration.ofSeconds(2));
        Connector connector = new Connector(TestServer.settings().keepalive(Duration.ofSeconds(2)).build(), bounds,
                "filelock-test-settings");
        try (Session session = connector.open()) {
            assertThat(shown(session, "tcp_keepalives_idle")).isEqualTo("6");
            assertThat(shown(session, "tcp_keepalives_interval")).isEqualTo("2");
            assertThat(shown(session, "tcp_keepalives_count")).isEqualTo("3");
            assertThat(shown(session, "tcp_user_timeout")).isEqualTo("12000");
            assertThat(shown(session, "idle_session_timeout")).isEqualTo("0");
            assertThat(shown(session, "idle_in_transaction_session_timeout")).isEqualTo("0");
            assertThat(shown(session, "statement_timeout")).isEqualTo("0");
        }
    }

    private static String shown(Session session, String name) throws java.sql.SQLException {
        return session.query(c -> show(c, name));
    }

    private static String show(Connection c, String name) throws java.sql.SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
