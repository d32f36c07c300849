package io.github.filelock.sample;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param dataDir where results are written; shared by all instances, like the lock directory
 * @param embeddingsBuildTime how long the simulated embeddings build takes
 * @param reindexTime how long the simulated reindex of one document takes
 */
@ConfigurationProperties(prefix = "sample")
public record SampleProperties(Path dataDir, Duration embeddingsBuildTime, Duration reindexTime) {
}
