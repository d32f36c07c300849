package io.github.filelock.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Bad settings fail at build() with the value, and the fix; the URL never shows credentials. */
class SettingsTest {

    @Test
    void urlMustBePostgres() {
        assertThatThrownBy(() -> PostgresSettings.builder("jdbc:mysql://db/app?password=s3cret").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:postgresql://host:5432/database")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void maxConnectionsAndKeepaliveAreChecked() {
        assertThatThrownBy(() -> PostgresSettings.builder("jdbc:postgresql://db/app").maxConnections(0).build())
                .hasMessageContaining("maxConnections is 0").hasMessageContaining("1 or more");
        assertThatThrownBy(() -> PostgresSettings.builder("jdbc:postgresql://db/app")
                .keepalive(Duration.ofMillis(200)).build())
                .hasMessageContaining("keepalive is PT0.2S").hasMessageContaining("between 1s and 1h");
        assertThatThrownBy(() -> PostgresSettings.builder("jdbc:postgresql://db/app").namespace("a/b").build())
                .hasMessageContaining("namespace 'a/b'");
    }

    @Test
    void safeUrlDropsUserAndPassword() {
        assertThat(PostgresSettings.withoutCredentials("jdbc:postgresql://db:5432/app?user=u&password=p&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/app?ssl=true");
        assertThat(PostgresSettings.withoutCredentials("jdbc:postgresql://db/app?ssl=true&password=p"))
                .isEqualTo("jdbc:postgresql://db/app?ssl=true");
        assertThat(PostgresSettings.withoutCredentials("jdbc:postgresql://u:p@db/app"))
                .isEqualTo("jdbc:postgresql://db/app");
    }

    @Test
    void applicationNameIsCutTo63BytesOnACharacterBoundary() {
        HolderName name = new HolderName(4242, "ä".repeat(40));
        String cut = name.applicationName();
        assertThat(cut).startsWith("filelock pid=4242 host=ää");
        assertThat(cut.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isBetween(62, 63);
        assertThat(HolderName.parse(new HolderName(7, "web-1").applicationName()))
                .contains(new HolderName(7, "web-1"));
        assertThat(HolderName.parse("psql")).isEmpty();
    }

    @Test
    void theHolderGivesUpBeforeTheServerCan() {
        for (int k : new int[] {1, 5, 30}) {
            LossBounds b = LossBounds.of(Duration.ofSeconds(k));
            assertThat(b.holderDeclaresWithin()).isLessThan(b.serverFreesAfter());
            assertThat(b.serverFreesAfter().minus(b.holderDeclaresWithin())).isGreaterThanOrEqualTo(b.checkEvery());
        }
        assertThat(LossBounds.of(Duration.ofMillis(1500)).seconds()).isEqualTo(2);
    }
}
