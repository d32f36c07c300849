package io.github.filelock.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.test.postgres.Psql;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An operator break of a postgres lock is refused with the reason: the server frees a session's advisory lock when the
 * session ends, so there is nothing an operator could safely remove. A psql session holds the lock meanwhile, and
 * still holds it afterwards.
 */
class OperatorBreakRefusedTest {

    @Test
    void aPostgresLockIsRefusedWithTheReasonAndStaysHeld() throws Exception {
        String name = "operator-break";
        AdvisoryKey key = AdvisoryKey.of(TestServer.NAMESPACE, name);
        try (FileLockRegistry registry = FileLockRegistry.builder(PostgresLockBackend.open(
                TestServer.settings().build())).build(); ServerView view = new ServerView();
                Psql psql = Psql.session()) {
            psql.send("SELECT pg_advisory_lock(" + String.format(AdvisoryKey.SQL, "'" + TestServer.NAMESPACE + "/"
                    + name + "'") + ");");
            ServerView.await("psql holds " + name, Duration.ofSeconds(30), () -> view.granted(key).size() == 1);

            assertThatThrownBy(() -> registry.breakLock(name)).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("'postgres' locks cannot be broken by an operator")
                    .hasMessageContaining("the database session")
                    .hasMessageContaining(registry.diagnostics().locationOf(name));
            assertThat(registry.tryAcquire(name)).as("psql still holds it").isEmpty();
        }
    }
}
