package io.github.filelock.sample;

import io.github.filelock.spring.FileLocked;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.springframework.stereotype.Service;

/**
 * Builds the embeddings index. The build is expensive, so only one instance may run it at a time; an
 * instance that waited while another built a fresh index reuses it instead of building again.
 */
@Service
public class EmbeddingsService {

    private final SampleProperties properties;
    private final Instance instance;

    public EmbeddingsService(SampleProperties properties, Instance instance) {
        this.properties = properties;
        this.instance = instance;
    }

    /** What happened under the lock. */
    public record Outcome(String action, String builtBy, Instant builtAt, long lockEnteredNanos) {
    }

    @FileLocked(name = "embeddings", timeout = "30s")
    public Outcome rebuild(Instant requestedAt) {
        long entered = System.nanoTime();
        Path index = properties.dataDir().resolve("embeddings.index");
        String existing = read(index);
        if (existing != null) {
            String[] fields = existing.split("\n");
            Instant builtAt = Instant.parse(fields[1]);
            if (builtAt.isAfter(requestedAt)) {
                // Another instance finished a build while this request waited for the lock.
                return new Outcome("reused", fields[0], builtAt, entered);
            }
        }
        Work.simulate(properties.embeddingsBuildTime());
        Instant builtAt = Instant.now();
        Work.write(index, instance.describe() + "\n" + builtAt + "\n");
        return new Outcome("built", instance.describe(), builtAt, entered);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
