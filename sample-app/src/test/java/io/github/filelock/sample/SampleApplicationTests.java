package io.github.filelock.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The sample's endpoints through its real web server, with the locks on a temp directory. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"sample.embeddings-build-time=100ms", "sample.reindex-time=50ms", "sample.sync-cron=-",
                "sample.sync-hold-at-least=0"})
class SampleApplicationTests {

    @TempDir
    static Path tmp;

    @DynamicPropertySource
    static void dirs(DynamicPropertyRegistry registry) {
        registry.add("filelock.dir", () -> tmp.resolve("locks").toString());
        registry.add("sample.data-dir", () -> tmp.resolve("data").toString());
    }

    @Autowired
    Environment environment;

    @Autowired
    FileLockRegistry locks;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void endpointsDoTheWorkUnderTheirLocks() throws Exception {
        String doc = post("/docs/42/reindex");
        assertThat(doc).contains("\"lock\":\"doc:42\"", "\"pid\":" + ProcessHandle.current().pid());
        assertThat(Files.readString(tmp.resolve("data/docs/42.idx"))).startsWith("reindexed by pid");

        assertThat(post("/embeddings/rebuild")).contains("\"action\":\"built\"");
        assertThat(tmp.resolve("data/embeddings.index")).exists();

        assertThat(post("/sync")).contains("ran at");
        // Another holder (a thread here; another instance in real life) makes the sync skip.
        Thread other = new Thread(() -> {
            try (FileLockHold hold = locks.acquire("periodic-sync", Duration.ofSeconds(5))) {
                assertThat(post("/sync")).contains("skipped: another instance holds the lock");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Throwable[] thrown = new Throwable[1];
        other.setUncaughtExceptionHandler((t, e) -> thrown[0] = e);
        other.start();
        other.join(30_000);
        assertThat(thrown[0]).isNull();
    }

    @Test
    void jsonAnswersEndWithANewlineSoCurlOutputsDoNotGlue() throws Exception {
        assertThat(post("/docs/7/reindex")).startsWith("{").endsWith("}\n");
        assertThat(post("/sync")).endsWith("}\n");
        assertThat(send(HttpRequest.newBuilder(uri("/sync")).GET())).startsWith("{").endsWith("}\n");
    }

    private String post(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private URI uri(String path) {
        int port = environment.getRequiredProperty("local.server.port", Integer.class);
        return URI.create("http://localhost:" + port + path);
    }

    private String send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }
}
