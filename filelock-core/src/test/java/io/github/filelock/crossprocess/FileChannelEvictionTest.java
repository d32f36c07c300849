package io.github.filelock.crossprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import io.github.filelock.internal.TestHooks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * FILE_CHANNEL locks are fcntl locks: closing any descriptor of a file drops every lock this process has on
 * it. So closing an evicted idle descriptor must never overlap a newer descriptor of the same file that holds
 * the lock. The evicting thread is parked between taking the handle away and closing it while another thread
 * takes the name; a child JVM then says whether the lock is still held.
 */
@Timeout(60)
class FileChannelEvictionTest {

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @TempDir
    Path dir;

    @AfterEach
    void uninstallHooks() {
        TestHooks.install(null);
    }

    @ParameterizedTest(name = "deleteIdleLockFiles={0}")
    @ValueSource(booleans = {false, true})
    void anEvictionNeverClosesTheDescriptorOfANewerHolder(boolean deleteIdle) throws Exception {
        ProbeChild prober = ProbeChild.start(children, dir, LockType.FILE_CHANNEL);
        try (FileLockRegistry registry = FileLockRegistry.builder(dir).type(LockType.FILE_CHANNEL)
                .maxOpenFiles(1).deleteIdleLockFiles(deleteIdle).build()) {
            Path victim = registry.diagnostics().lockFile("victim");
            CountDownLatch parked = new CountDownLatch(1);
            CountDownLatch resume = new CountDownLatch(1);
            TestHooks.install((point, subject) -> {
                if (point.equals("KeyEntry.evicting") && victim.equals(subject) && parked.getCount() > 0) {
                    parked.countDown();
                    awaitQuietly(resume);
                }
            });
            // Two idle names over maxOpenFiles=1: releasing the second evicts the first, and parks there.
            CompletableFuture<Void> evictor = CompletableFuture.runAsync(() -> {
                registry.acquire("victim", Duration.ofSeconds(5)).close();
                registry.acquire("other", Duration.ofSeconds(5)).close();
            });
            assertThat(parked.await(20, TimeUnit.SECONDS)).as("the evicting thread reached the close").isTrue();

            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch letGo = new CountDownLatch(1);
            Thread taker = new Thread(() -> {
                try (FileLockHold hold = registry.acquire("victim", Duration.ofSeconds(20))) {
                    holding.countDown();
                    awaitQuietly(letGo);
                }
            }, "taker");
            taker.start();
            // The taker either holds already (it did not wait for the close) or waits for the close to finish.
            while (holding.getCount() > 0 && taker.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
            resume.countDown();
            evictor.get(20, TimeUnit.SECONDS);
            assertThat(holding.await(20, TimeUnit.SECONDS)).as("the taker got the lock").isTrue();

            assertThat(prober.canLock("victim")).as("another JVM could take the lock after the eviction closed"
                    + " the old descriptor: the close dropped the taker's lock").isFalse();
            letGo.countDown();
            taker.join(20_000);
        }
        assertThat(prober.canLock("victim")).as("free once released").isTrue();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
