package io.github.filelock.sample;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** HTTP triggers for the locked work; each answer says which instance did it and how long it waited. */
@RestController
public class WorkController {

    private final EmbeddingsService embeddings;
    private final DocumentService documents;
    private final SyncService sync;
    private final Instance instance;

    public WorkController(EmbeddingsService embeddings, DocumentService documents, SyncService sync,
            Instance instance) {
        this.embeddings = embeddings;
        this.documents = documents;
        this.sync = sync;
        this.instance = instance;
    }

    @PostMapping("/embeddings/rebuild")
    public Map<String, Object> rebuildEmbeddings() {
        long requested = System.nanoTime();
        EmbeddingsService.Outcome outcome = embeddings.rebuild(Instant.now());
        Map<String, Object> body = answer("embeddings", requested, outcome.lockEnteredNanos());
        body.put("action", outcome.action());
        body.put("indexBuiltBy", outcome.builtBy());
        body.put("indexBuiltAt", outcome.builtAt().toString());
        return body;
    }

    @PostMapping("/docs/{id}/reindex")
    public Map<String, Object> reindex(@PathVariable String id) {
        long requested = System.nanoTime();
        long entered = documents.reindex(id);
        return answer("doc:" + id, requested, entered);
    }

    @PostMapping("/sync")
    public Map<String, Object> syncNow() {
        Optional<Instant> ran = sync.syncOnce();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("lock", "periodic-sync");
        body.put("instance", instance.describe());
        body.put("result", ran.map(at -> "ran at " + at).orElse("skipped: another instance holds the lock"));
        return body;
    }

    @GetMapping("/sync")
    public SyncService.Status syncStatus() {
        return sync.status();
    }

    private Map<String, Object> answer(String lock, long requestedNanos, long enteredNanos) {
        long finished = System.nanoTime();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("lock", lock);
        body.put("pid", instance.pid());
        body.put("port", instance.port());
        body.put("waitedMs", Duration.ofNanos(enteredNanos - requestedNanos).toMillis());
        body.put("workedMs", Duration.ofNanos(finished - enteredNanos).toMillis());
        return body;
    }
}
