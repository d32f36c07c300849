package io.github.filelock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.LockHolder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HolderRecordTest {

    @Test
    void roundTripsEveryField() {
        Instant since = Instant.parse("2026-11-23T12:00:03.123Z");
        byte[] record = HolderRecord.format(4242, "host-a", "scheduling-1", "embeddings", since);
        assertThat(new String(record, StandardCharsets.UTF_8)).isEqualTo(
                "pid=4242\nhost=host-a\nthread=scheduling-1\nname=embeddings\nsince=2026-11-23T12:00:03.123Z\n");
        assertThat(HolderRecord.parse(record)).contains(new LockHolder(4242, "host-a", Optional.of("scheduling-1"),
                Optional.of("embeddings"), since));
    }

    @Test
    void aNewlineInAThreadNameCannotForgeAField() {
        Instant since = Instant.parse("2026-11-23T12:00:03Z");
        byte[] record = HolderRecord.format(1, "h", "evil\npid=666\\", "n\u0000", since);
        LockHolder holder = HolderRecord.parse(record).orElseThrow();
        assertThat(holder.pid()).isEqualTo(1);
        assertThat(holder.thread()).contains("evil\npid=666\\");
        assertThat(holder.name()).contains("n\u0000");
    }

    @Test
    void aFieldTheWriterLeftOutIsEmptyNotAPlaceholder() {
        LockHolder holder = HolderRecord.parse("pid=7\nhost=h\nsince=2026-11-23T12:00:03Z\n"
                .getBytes(StandardCharsets.UTF_8)).orElseThrow();
        assertThat(holder.thread()).isEmpty();
        assertThat(holder.name()).isEmpty();
        assertThat(holder.describe()).isEqualTo("pid 7 on h, since 2026-11-23T12:00:03Z");
        assertThat(HolderRecord.parse("pid=7\nsince=2026-11-23T12:00:03Z\n".getBytes(StandardCharsets.UTF_8)))
                .as("no host: not a record of any writer").isEmpty();
    }

    @Test
    void emptyForeignOrTornContentIsNoRecord() {
        assertThat(HolderRecord.parse(new byte[0])).isEmpty();
        assertThat(HolderRecord.parse("12345\nhost\n".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(HolderRecord.parse("pid=12\nhost=a\nsi".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void longNamesAreCutSoTheRecordStaysSmall() {
        byte[] record = HolderRecord.format(1, "h", "t".repeat(10_000), "n".repeat(10_000), Instant.EPOCH);
        assertThat(record.length).isLessThanOrEqualTo(HolderRecord.MAX_BYTES);
        assertThat(HolderRecord.parse(record)).isPresent();
    }
}
