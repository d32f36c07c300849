package io.github.filelock.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.LockMode;
import io.github.filelock.spi.LockSlot;
import io.github.filelock.test.postgres.Psql;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** psql, a real process, and the backend take the same lock through the documented key expression. */
class PsqlInteropTest {

    private static String keySql(String key) {
        return String.format(AdvisoryKey.SQL, "'" + TestServer.NAMESPACE + "/" + key + "'");
    }

    @Test
    void whileJavaHoldsPsqlCannotTake() throws Exception {
        try (PostgresLockBackend backend = PostgresLockBackend.open(TestServer.settings().build());
             LockSlot slot = backend.openSlot("psql-1", () -> { })) {
            assertThat(Psql.run("SELECT pg_try_advisory_lock(" + keySql("psql-1") + ")")).isEqualTo("t");
            // psql's session ended with its process, and its lock with it
            assertThat(slot.tryLock(LockMode.EXCLUSIVE)).isTrue();
            assertThat(Psql.run("SELECT pg_try_advisory_lock(" + keySql("psql-1") + ")")).isEqualTo("f");
            assertThat(Psql.run("SELECT pg_try_advisory_lock_shared(" + keySql("psql-1") + ")")).isEqualTo("f");
            slot.unlock();
        }
    }

    @Test
    void whilePsqlHoldsJavaCannotTake() throws Exception {
        AdvisoryKey key = AdvisoryKey.of(TestServer.NAMESPACE, "psql-2");
        try (PostgresLockBackend backend = PostgresLockBackend.open(TestServer.settings().build());
             LockSlot slot = backend.openSlot("psql-2", () -> { });
             ServerView view = new ServerView()) {
            try (Psql psql = Psql.session()) {
                psql.send("SELECT pg_advisory_lock(" + keySql("psql-2") + ");");
                ServerView.await("psql holds the lock", Duration.ofSeconds(30), () -> view.granted(key).size() == 1);
                assertThat(slot.tryLock(LockMode.EXCLUSIVE)).isFalse();
                assertThat(slot.tryLock(LockMode.SHARED)).isFalse();
            }
            ServerView.await("psql's session ends", Duration.ofSeconds(30), () -> view.granted(key).isEmpty());
            assertThat(slot.tryLock(LockMode.EXCLUSIVE)).isTrue();
            slot.unlock();
        }
    }
}
