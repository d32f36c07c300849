package io.github.filelock.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Fencing tokens on the real server: two registries (two pools, so two sessions, as two processes would have) take
 * one key in turn, and every hold's token is greater than the one before, whichever registry held. The count is
 * the row of {@code filelock_fence}, and survives both registries.
 */
class FencingTokensTest {

    @Test
    void tokensIncreaseAcrossRegistriesAndSessions() throws Exception {
        long last = 0;
        try (FileLockRegistry a = registry(); FileLockRegistry b = registry()) {
            for (int i = 0; i < 10; i++) {
                FileLockRegistry registry = i % 2 == 0 ? a : b;
                try (FileLockHold hold = registry.acquire("fenced", Duration.ofSeconds(30))) {
                    long token = hold.fencingToken();
                    assertThat(token).as("hold " + i).isGreaterThan(last);
                    assertThat(hold.fencingToken()).as("one hold, one token").isEqualTo(token);
                    last = token;
                }
            }
        }
        long key = AdvisoryKey.of(TestServer.NAMESPACE, "fenced").value();
        try (Connection c = TestServer.connect();
             PreparedStatement st = c.prepareStatement("SELECT token FROM filelock_fence WHERE key = ?")) {
            st.setLong(1, key);
            try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(last);
            }
        }
        try (FileLockRegistry restarted = registry();
             FileLockHold hold = restarted.acquire("fenced", Duration.ofSeconds(30))) {
            assertThat(hold.fencingToken()).as("after both registries closed").isEqualTo(last + 1);
        }
    }

    @Test
    void aSharedHoldHasNoToken() throws Exception {
        try (FileLockRegistry registry = registry();
             FileLockHold hold = registry.acquireShared("fenced-shared", Duration.ofSeconds(30))) {
            assertThatThrownBy(hold::fencingToken).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("SHARED");
        }
    }

    private static FileLockRegistry registry() throws Exception {
        return FileLockRegistry.builder(PostgresLockBackend.open(TestServer.settings().build())).build();
    }
}
