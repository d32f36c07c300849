package io.github.filelock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordComposerTest {

    @Test
    void composesExactlyWhatTheReferenceFormatterWrites() {
        List<Instant> instants = List.of(Instant.parse("2026-11-23T12:00:03.123Z"),
                Instant.parse("2026-11-23T12:00:00Z"),
                Instant.parse("2026-11-23T12:00:00.001Z"), Instant.parse("2026-01-01T00:00:59.999Z"), Instant.EPOCH,
                Instant.ofEpochMilli(System.currentTimeMillis()));
        RecordComposer composer = RecordComposer.forCurrentThread();
        for (String thread : List.of("main", "scheduling-1", "evil\nthread")) {
            for (String name : List.of("embeddings", "doc:42", "x".repeat(1000))) {
                for (Instant since : instants) {
                    composer.compose(thread, name, since);
                    byte[] expected = HolderRecord.format(ProcessIdentity.PID, ProcessIdentity.HOST, thread, name,
                            since);
                    assertThat(Arrays.copyOf(composer.bytes(), composer.length())).as("%s %s %s", thread, name, since)
                            .isEqualTo(expected);
                    assertThat(HolderRecord.parse(expected)).get().extracting(h -> h.acquiredAt()).isEqualTo(since);
                }
            }
        }
    }
}
