package io.github.filelock.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.redisson.config.Config;

/** Bad settings are refused with the value and the fix; keys and the location are what the docs say. */
class SettingsTest {

    @Test
    void badPrefixesAndLeasesAreRefusedWithTheFix() {
        assertThatThrownBy(() -> RedisSettings.builder().prefix("").build())
                .hasMessageContaining("prefix ''").hasMessageContaining("filelock:");
        assertThatThrownBy(() -> RedisSettings.builder().prefix("{app}:").build())
                .hasMessageContaining("brace");
        assertThatThrownBy(() -> RedisSettings.builder().lease(Duration.ofMillis(500)).build())
                .hasMessageContaining("between 1s and 1h");
        assertThat(RedisSettings.builder().build().lease()).as("the client's").isNull();
    }

    @Test
    void keysAreThePrefixedNameAndARecordUnderItsOwnTag() {
        RedisKeys keys = RedisKeys.of("filelock:", "embeddings");
        assertThat(keys.lock()).isEqualTo("filelock:embeddings");
        assertThat(keys.holder()).isEqualTo("{filelock:embeddings}:filelock_holder");
        assertThat(keys.channel()).isEqualTo("redisson_rwlock:{filelock:embeddings}");
        assertThat(RedisKeys.of("p:", "doc{42}").channel()).as("Redisson's rule for names with a tag")
                .isEqualTo("redisson_rwlock:p:doc{42}");
    }

    @Test
    void theLocationHasNoPassword() {
        Config config = new Config();
        config.useSingleServer().setAddress("redis://user:secret@cache:6379");
        assertThat(RedisLockBackend.locationOf(config)).isEqualTo("redis://cache:6379");
    }
}
