package io.github.filelock.spring.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.spring.FileLocked;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * With a real Tomcat and {@code server.shutdown=graceful}: a request in flight when the context starts closing takes
 * its lock after the server has stopped accepting connections, and still completes with its normal answer, because
 * the locks drain only after the web server's graceful shutdown (phase order checked on the real lifecycle beans).
 */
class GracefulShutdownWebTests {

    @TempDir
    Path dir;

    @Test
    void aRequestInFlightTakesItsLockAfterShutdownBeganAndAnswersNormally() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                .properties("filelock.dir=" + dir, "spring.main.banner-mode=off", "server.port=0",
                        "server.shutdown=graceful", "spring.lifecycle.timeout-per-shutdown-phase=20s")
                .run();
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        Work work = context.getBean(Work.class);
        FileLockRegistry registry = context.getBean(FileLockRegistry.class);
        assertPhaseOrder(context);

        HttpClient http = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<String>> response = http.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/work")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(work.arrived().await(30, TimeUnit.SECONDS)).as("the request is in flight").isTrue();

        long closeStart = System.nanoTime();
        Thread closer = new Thread(context::close, "closer");
        closer.start();
        awaitRefused(port); // graceful shutdown has begun: the server takes no new connection
        long refusedAt = System.nanoTime() - closeStart;
        work.proceed().countDown(); // now the request takes its lock

        HttpResponse<String> answer = response.get(20, TimeUnit.SECONDS);
        long answeredAt = System.nanoTime() - closeStart;
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("done, registry draining when locked: false");
        closer.join(TimeUnit.SECONDS.toMillis(20));
        long closedAt = System.nanoTime() - closeStart;
        assertThat(closer.isAlive()).isFalse();
        assertThat(registry.isDraining()).as("drained after the web server's graceful shutdown").isTrue();
        System.out.printf("graceful shutdown (web): new connections refused %.1f ms after close began; the in-flight"
                + " request locked and answered 200 at %.1f ms; context closed at %.1f ms%n", refusedAt / 1e6,
                answeredAt / 1e6, closedAt / 1e6);
    }

    private static void assertPhaseOrder(ConfigurableApplicationContext context) {
        Map<String, SmartLifecycle> lifecycles = context.getBeansOfType(SmartLifecycle.class);
        int serverStop = lifecycles.values().stream()
                .filter(l -> l.getClass().getSimpleName().equals("WebServerStartStopLifecycle"))
                .mapToInt(SmartLifecycle::getPhase).findFirst().orElseThrow();
        assertThat(FileLockGracefulShutdown.PHASE)
                .as("locks drain after the graceful shutdown (higher phases stop first), before the server stops")
                .isLessThan(WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE).isGreaterThan(serverStop);
        assertThat(lifecycles.values()).anySatisfy(l -> assertThat(l).isInstanceOf(FileLockGracefulShutdown.class));
    }

    private static void awaitRefused(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                Thread.sleep(5);
            } catch (ConnectException refused) {
                return;
            } catch (IOException other) {
                return; // reset or closed: not accepting either
            }
        }
        throw new AssertionError("the server still accepts connections 20 s after close began");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        Work work(FileLockRegistry registry) {
            return new Work(registry);
        }

        @Bean
        WorkController workController(Work work) {
            return new WorkController(work);
        }
    }

    @RestController
    static class WorkController {
        private final Work work;

        WorkController(Work work) {
            this.work = work;
        }

        @GetMapping("/work")
        String work() throws InterruptedException {
            work.arrived().countDown();
            work.proceed().await(); // held here until the server is shutting down
            return work.locked();
        }
    }

    static class Work {
        private final FileLockRegistry registry;
        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch proceed = new CountDownLatch(1);

        Work(FileLockRegistry registry) {
            this.registry = registry;
        }

        public CountDownLatch arrived() {
            return arrived;
        }

        public CountDownLatch proceed() {
            return proceed;
        }

        @FileLocked(name = "report", timeout = "10s")
        public String locked() {
            return "done, registry draining when locked: " + registry.isDraining();
        }
    }
}
