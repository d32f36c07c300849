package io.github.filelock.sample;

import io.github.filelock.spring.FileLocked;
import java.time.Instant;
import org.springframework.stereotype.Service;

/**
 * Reindexes one document. The lock is per document ({@code doc:<id>}): the same document is reindexed by one
 * instance at a time, different documents in parallel. No timeout on the annotation, so
 * {@code filelock.locks.doc.timeout} from application.yml applies.
 */
@Service
public class DocumentService {

    private final SampleProperties properties;
    private final Instance instance;

    public DocumentService(SampleProperties properties, Instance instance) {
        this.properties = properties;
        this.instance = instance;
    }

    /** @return System.nanoTime() when the lock was entered */
    @FileLocked(name = "doc", key = "#id")
    public long reindex(String id) {
        long entered = System.nanoTime();
        Work.simulate(properties.reindexTime());
        Work.write(properties.dataDir().resolve("docs").resolve(id + ".idx"),
                "reindexed by " + instance.describe() + " at " + Instant.now() + "\n");
        return entered;
    }
}
