package io.github.filelock.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockInterruptedException;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import io.github.filelock.spring.support.FcntlProbe;
import io.github.filelock.spring.support.LockHoldingChild;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The close trap of fcntl locks: with FILE_CHANNEL, closing any descriptor of a file drops this process's lock on
 * it. With max-open-files=1 and more lock files than that, every scan the endpoint serves opens and evicts
 * descriptors while a thread of this JVM holds {@code doc:42}, another thread take and let go of names, and a child JVM
 * holds
 * {@code batch}. Another process's fcntl probe must keep failing on both held files.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = LocksEndpointWebTests.App.class, properties = {
                "management.endpoints.web.exposure.include=locks,health",
                "management.endpoint.health.show-details=always", "spring.main.banner-mode=off",
                "filelock.type=file-channel", "filelock.max-open-files=1" })
class LocksEndpointOnFileChannelWebTests {

    @RegisterExtension
    static final ClassLockDirectory DIR = new ClassLockDirectory("locks-endpoint-fcntl");

    @DynamicPropertySource
    static void lockDir(DynamicPropertyRegistry registry) {
        DIR.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    FileLockRegistry registry;

    private final LocalServer server = new LocalServer(() -> port);

    @Test
    void servingLocksAndHealthManyTimesNeverDropsAnFcntlLock() throws Exception {
        assertThat(registry.type()).isEqualTo(LockType.FILE_CHANNEL);
        for (int i = 0; i < 5; i++) {
            registry.acquire("idle-" + i, Duration.ofSeconds(5)).close(); // more lock files than max-open-files
        }
        Path mine = registry.diagnostics().lockFile("doc:42");
        Path childs = registry.diagnostics().lockFile("batch");
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        Thread holder = new Thread(() -> { // holds until told: the test may take long on a loaded machine
            try (FileLockHold hold = registry.acquire("doc:42", Duration.ofSeconds(30))) {
                holding.countDown();
                letGo.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "reindexer");
        Thread churn = new Thread(() -> {
            try {
                for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
                    registry.acquire("idle-" + i % 5, Duration.ofSeconds(5)).close();
                }
            } catch (FileLockInterruptedException e) {
                // told to stop while waiting
            }
        }, "churn");
        try (LockHoldingChild child = LockHoldingChild.start(DIR.path(), "batch", LockType.FILE_CHANNEL)) {
            holder.start();
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(FcntlProbe.canLock(registry.diagnostics().lockFile("idle-0")))
                    .as("the probe takes a free lock").isTrue();
            churn.start();
            assertThat(FcntlProbe.canLock(mine)).isFalse();
            assertThat(FcntlProbe.canLock(childs)).isFalse();
            for (int i = 1; i <= 300; i++) {
                String path = i % 2 == 0 ? "/actuator/locks" : "/actuator/health";
                HttpResponse<String> response = server.get(path);
                assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
                if (i % 30 == 0) {
                    assertThat(FcntlProbe.canLock(mine)).as("doc:42 after %d requests, held here: %s", i,
                            registry.diagnostics().localHolds()).isFalse();
                    assertThat(FcntlProbe.canLock(childs)).as("batch after %d requests", i).isFalse();
                }
            }
            churn.interrupt();
            churn.join(30_000);
            assertThat(registry.diagnostics().localHolds()).extracting(h -> h.name()).containsExactly("doc:42");
            assertThat(registry.diagnostics().inspect("batch").kernelPid()).hasValue(child.pid());
        } finally {
            churn.interrupt();
            churn.join(30_000);
            letGo.countDown();
            holder.join(30_000);
        }
    }
}
