package io.github.filelock.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.spring.FileLockRegistries;
import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.support.FlockProbe;
import io.github.filelock.spring.support.LockHoldingChild;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code /actuator/locks} and {@code /actuator/health} through a real server, while a keyed {@code @FileLocked}
 * call of this JVM holds {@code doc:42} and a child JVM holds {@code batch} on the same directory.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = LocksEndpointWebTests.App.class, properties = {
                "management.endpoints.web.exposure.include=locks,health",
                "management.endpoint.health.show-details=always", "spring.main.banner-mode=off",
                "filelock.locks.remote.type=soft" })
class LocksEndpointWebTests {

    @RegisterExtension
    static final ClassLockDirectory DIR = new ClassLockDirectory("locks-endpoint");

    @DynamicPropertySource
    static void lockDir(DynamicPropertyRegistry registry) {
        DIR.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    Docs docs;

    @Autowired
    FileLockRegistry registry;

    @Autowired
    FileLockRegistries registries;

    @Autowired
    Remote remote;

    private final LocalServer server = new LocalServer(() -> port);
    private LockHoldingChild child;
    private Thread holder;

    @BeforeEach
    void holdLocks() throws Exception {
        child = LockHoldingChild.start(DIR.path(), "batch");
        holder = new Thread(() -> docs.reindex("42"), "reindexer");
        holder.start();
        assertThat(docs.holding().await(30, TimeUnit.SECONDS)).isTrue();
    }

    @AfterEach
    void release() throws Exception {
        docs.release().countDown();
        holder.join(30_000);
        child.close();
        docs.reset();
    }


    @Test
    void listsHoldsOfThisJvmWaitersAndTheOtherProcessWithItsPid() throws Exception {
        Thread waiter = new Thread(() -> docs.reindex("42"), "second-reindexer");
        waiter.start();
        awaitWaiter();

        DocumentContext locks = server.getJson("/actuator/locks");
        assertThat(locks.read("$.pid", Long.class)).isEqualTo(ProcessHandle.current().pid());
        assertThat(locks.read("$.directory", String.class)).isEqualTo(registry.directory().toString());
        assertThat(locks.read("$.heldByThisProcess[*].name", List.class)).containsExactly("doc");
        assertThat(locks.read("$.heldByThisProcess[0].key", String.class)).isEqualTo("doc:42");
        assertThat(locks.read("$.heldByThisProcess[0].thread", String.class)).isEqualTo("reindexer");
        assertThat(locks.read("$.heldByThisProcess[0].mode", String.class)).isEqualTo("EXCLUSIVE");
        assertThat(locks.read("$.heldByThisProcess[0].holdCount", Integer.class)).isEqualTo(1);
        assertThat(locks.read("$.heldByThisProcess[0].heldFor", String.class)).startsWith("PT");
        assertThat(locks.read("$.heldByThisProcess[0].file", String.class))
                .isEqualTo(registry.diagnostics().lockFile("doc:42").toString());
        assertThat(locks.read("$.waiters[*].thread", List.class)).containsExactly("second-reindexer");
        assertThat(locks.read("$.waiters[0].key", String.class)).isEqualTo("doc:42");
        assertThat(locks.read("$.heldByOtherProcesses[*].name", List.class)).containsExactly("batch");
        assertThat(locks.read("$.heldByOtherProcesses[0].holder.pid", Long.class)).isEqualTo(child.pid());
        assertThat(locks.read("$.heldByOtherProcesses[0].kernelPid", Long.class)).isEqualTo(child.pid());
        assertThat(locks.read("$.heldByOtherProcesses[0].holder.thread", String.class)).isEqualTo("main");
        assertThat(Instant.parse(locks.read("$.heldByOtherProcesses[0].holder.acquiredAt", String.class)))
                .as("one name for when a lock was acquired").isBefore(Instant.now());
        assertThat(locks.read("$.heldByOtherProcesses[0].holder", Map.class)).doesNotContainKey("since");

        DocumentContext batch = server.getJson("/actuator/locks/batch");
        assertThat(batch.read("$.state", String.class)).isEqualTo("HELD_BY_OTHER_PROCESS");
        assertThat(batch.read("$.holder.pid", Long.class)).isEqualTo(child.pid());
        DocumentContext doc = server.getJson("/actuator/locks/doc:42");
        assertThat(doc.read("$.state", String.class)).isEqualTo("HELD_BY_THIS_PROCESS");
        assertThat(doc.read("$.heldByThisProcess[0].thread", String.class)).isEqualTo("reindexer");
        assertThat(doc.read("$.waiters[0].thread", String.class)).isEqualTo("second-reindexer");
        assertThat(server.getJson("/actuator/locks/free").read("$.state", String.class)).isEqualTo("FREE");

        docs.release().countDown();
        waiter.join(30_000);
    }

    @Test
    void seesTheHoldsAndWaitersOfASoftTypedNameBesideTheMainRegistrys() throws Exception {
        Thread softHolder = new Thread(remote::sync, "remote-holder");
        softHolder.start();
        assertThat(remote.holding().await(30, TimeUnit.SECONDS)).isTrue();
        Thread softWaiter = new Thread(remote::sync, "remote-waiter");
        softWaiter.start();
        try {
            awaitWaiter(registries.registryFor("remote"));

            DocumentContext locks = server.getJson("/actuator/locks");
            assertThat(locks.read("$.heldByThisProcess[*].name", List.class))
                    .containsExactlyInAnyOrder("doc", "remote");
            assertThat(locks.read("$.heldByThisProcess[?(@.name == 'remote')].thread", List.class))
                    .containsExactly("remote-holder");
            assertThat(locks.read("$.waiters[*].thread", List.class)).containsExactly("remote-waiter");
            assertThat(locks.read("$.heldByOtherProcesses[*].name", List.class)).as("our soft marker is ours")
                    .containsExactly("batch");
            DocumentContext one = server.getJson("/actuator/locks/remote");
            assertThat(one.read("$.state", String.class)).isEqualTo("HELD_BY_THIS_PROCESS");
            assertThat(one.read("$.heldByThisProcess[0].thread", String.class)).isEqualTo("remote-holder");
            assertThat(one.read("$.waiters[0].thread", String.class)).isEqualTo("remote-waiter");
            DocumentContext health = server.getJson("/actuator/health/fileLock");
            assertThat(health.read("$.details.held", Integer.class)).isEqualTo(2);
            assertThat(health.read("$.details.waiting", Integer.class)).isEqualTo(1);
        } finally {
            remote.release().countDown();
            softHolder.join(30_000);
            softWaiter.join(30_000);
            remote.reset();
        }
    }

    @Test
    void servingLocksAndHealthManyTimesNeverReleasesALock() throws Exception {
        Path mine = registry.diagnostics().lockFile("doc:42");
        Path childs = registry.diagnostics().lockFile("batch");
        assertThat(FlockProbe.canLock(DIR.path().resolve("probe-sanity.lock")))
                .as("the probe takes a free lock").isTrue();
        assertThat(FlockProbe.canLock(mine)).isFalse();
        assertThat(FlockProbe.canLock(childs)).isFalse();
        for (int i = 1; i <= 300; i++) {
            String path = i % 2 == 0 ? "/actuator/locks" : "/actuator/health";
            HttpResponse<String> response = server.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            if (i % 30 == 0) {
                // Another process's tryAcquire keeps failing: neither our hold nor the child's was dropped.
                assertThat(FlockProbe.canLock(mine)).as("doc:42 after %d requests", i).isFalse();
                assertThat(FlockProbe.canLock(childs)).as("batch after %d requests", i).isFalse();
            }
        }
        assertThat(JsonPath.parse(server.get("/actuator/health/fileLock").body()).read("$.status", String.class))
                .isEqualTo("UP");
        assertThat(registry.diagnostics().localHolds()).extracting(h -> h.name()).containsExactly("doc:42");
        assertThat(child.isAlive()).isTrue();
        assertThat(registry.diagnostics().inspect("batch").kernelPid()).hasValue(child.pid());
    }

    private void awaitWaiter() throws InterruptedException {
        awaitWaiter(registry);
    }

    private static void awaitWaiter(FileLockRegistry registry) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (registry.diagnostics().waiters().isEmpty()) {
            assertThat(System.nanoTime()).as("a waiter").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        Docs docs() {
            return new Docs();
        }

        @Bean
        Remote remote() {
            return new Remote();
        }
    }

    /** A soft-typed name (filelock.locks.remote.type=soft), held until released. */
    static class Remote extends HeldUntilReleased {

        @FileLocked(name = "remote", timeout = "30s")
        public void sync() {
            stayInside();
        }
    }

    static class Docs extends HeldUntilReleased {

        @FileLocked(name = "doc", key = "#id", timeout = "30s")
        public void reindex(String id) {
            stayInside();
        }
    }

    static class HeldUntilReleased {

        private volatile CountDownLatch holding = new CountDownLatch(1);
        private volatile CountDownLatch release = new CountDownLatch(1);

        void stayInside() {
            holding.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        public CountDownLatch holding() {
            return holding;
        }

        public CountDownLatch release() {
            return release;
        }

        public void reset() {
            holding = new CountDownLatch(1);
            release = new CountDownLatch(1);
        }
    }
}
