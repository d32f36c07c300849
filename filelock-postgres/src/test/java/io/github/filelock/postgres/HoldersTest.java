package io.github.filelock.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.LockHolder;
import io.github.filelock.LockMode;
import io.github.filelock.internal.ProcessIdentity;
import io.github.filelock.spi.LockSlot;
import io.github.filelock.test.ChildJvm;
import io.github.filelock.test.postgres.Psql;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who holds a key elsewhere, read from pg_locks and pg_stat_activity. */
class HoldersTest {

    @Test
    void anotherJvmIsNamedByItsPidAndHost() throws Exception {
        try (PostgresLockBackend backend = PostgresLockBackend.open(TestServer.settings().build());
             ChildJvm child = ChildJvm.start(LockChild.class, ChildSettings.args("key=holders-1"))) {
            assertThat(backend.isHeldElsewhere("holders-1")).isFalse();
            child.awaitLine(Duration.ofSeconds(60), "READY");
            child.send("lock SHARED");
            child.awaitLine(Duration.ofSeconds(30), "GRANTED");

            List<LockHolder> holders = backend.holdersElsewhere("holders-1");
            assertThat(holders).hasSize(1);
            LockHolder holder = holders.get(0);
            assertThat(holder.pid()).isEqualTo(child.pid());
            assertThat(holder.host()).isEqualTo(ProcessIdentity.HOST);
            assertThat(holder.name()).contains("holders-1");
            assertThat(holder.acquiredAt()).as("visible to this role").isNotNull();
            assertThat(backend.isHeldElsewhere("holders-1")).isTrue();
        }
    }

    @Test
    void ownHoldsAreNotElsewhereAndPsqlIsNamedByItsBackend() throws Exception {
        AdvisoryKey key = AdvisoryKey.of(TestServer.NAMESPACE, "holders-2");
        try (PostgresLockBackend backend = PostgresLockBackend.open(TestServer.settings().build());
             LockSlot slot = backend.openSlot("holders-2", () -> { });
             ServerView view = new ServerView()) {
            assertThat(slot.tryLock(LockMode.SHARED)).isTrue();
            assertThat(backend.holdersElsewhere("holders-2")).isEmpty();
            try (Psql psql = Psql.session()) {
                psql.send("SELECT pg_advisory_lock_shared(" + key.value() + ");");
                ServerView.await("psql shares the lock", Duration.ofSeconds(30), () -> view.granted(key).size() == 2);
                List<LockHolder> holders = backend.holdersElsewhere("holders-2");
                assertThat(holders).hasSize(1);
                assertThat(view.granted(key)).contains((int) holders.get(0).pid());
                assertThat(holders.get(0).thread().orElseThrow()).contains("filelock-test-psql");
            }
            slot.unlock();
        }
    }
}
