package io.github.filelock.crossprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockState;
import io.github.filelock.LockType;
import io.github.filelock.MixedLockTypesException;
import io.github.filelock.internal.TestHooks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A soft registry inspects every {@code *.lock} file of its directory as a marker: it opens and closes it. On POSIX
 * closing any descriptor of a file drops the process's fcntl locks on it, so a soft registry beside FILE_CHANNEL
 * locks in one JVM would silently hand them to other processes. The combination is refused on one directory, in
 * either order; flock locks (per open file description) stay allowed beside soft markers.
 */
@Timeout(90)
class SoftBesideFileChannelTest {

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @TempDir
    Path dir;

    @BeforeEach
    void posixOnly() {
        assumeFalse(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows"),
                "LockFileEx locks belong to their handle: the combination is allowed on Windows");
    }

    @Test
    void aSoftRegistryBesideAHeldFileChannelLockIsRefusedAndTheLockStaysHeld() throws Exception {
        ProbeChild prober = ProbeChild.start(children, dir, LockType.FILE_CHANNEL);
        try (FileLockRegistry kernel = FileLockRegistry.builder(dir).type(LockType.FILE_CHANNEL).build();
                FileLockHold hold = kernel.acquire("job", Duration.ofSeconds(10))) {
            assertThat(prober.canLock("job")).as("another JVM can take the lock right after acquire").isFalse();

            Throwable refused = catchThrowable(() -> {
                try (FileLockRegistry soft = FileLockRegistry.builder(dir).type(LockType.SOFT).build()) {
                    soft.diagnostics().scan(); // what the actuator endpoint does on every registry
                }
            });
            assertThat(prober.canLock("job"))
                    .as("another JVM can take the lock after a soft registry on the directory was built and scanned")
                    .isFalse();
            assertThat(refused).isInstanceOf(MixedLockTypesException.class)
                    .hasMessageContaining(dir.toRealPath().toString())
                    .hasMessageContaining("SOFT").hasMessageContaining("FILE_CHANNEL")
                    .hasMessageContaining("closing any descriptor")
                    .hasMessageContaining("FLOCK").hasMessageContaining("another directory");

            assertThat(kernel.diagnostics().scan()).extracting(s -> s.state())
                    .containsExactly(LockState.HELD_BY_THIS_PROCESS);
            assertThat(prober.canLock("job")).as("another JVM can take the lock after the registry's own scan()")
                    .isFalse();
        }
        assertThat(prober.canLock("job")).as("free once released").isTrue();
    }

    @Test
    void aFileChannelRegistryBesideASoftOneIsRefusedToo() throws Exception {
        try (FileLockRegistry soft = FileLockRegistry.builder(dir).type(LockType.SOFT).build()) {
            assertThatThrownBy(() -> FileLockRegistry.builder(dir).type(LockType.FILE_CHANNEL).build())
                    .isInstanceOf(MixedLockTypesException.class)
                    .hasMessageContaining(dir.toRealPath().toString())
                    .hasMessageContaining("SOFT").hasMessageContaining("FILE_CHANNEL");
            try (FileLockRegistry flock = FileLockRegistry.builder(dir).type(LockType.FLOCK).build()) {
                assertThat(flock.type()).as("flock beside soft markers stays allowed").isEqualTo(LockType.FLOCK);
            }
        }
        try (FileLockRegistry channel = FileLockRegistry.builder(dir).type(LockType.FILE_CHANNEL).build()) {
            assertThat(channel.type()).as("allowed once no soft state is left").isEqualTo(LockType.FILE_CHANNEL);
        }
    }

    @Test
    void aHoldThatOutlivedItsFileChannelRegistryStillKeepsSoftOut() throws Exception {
        FileLockRegistry kernel = FileLockRegistry.builder(dir).type(LockType.FILE_CHANNEL).build();
        FileLockHold hold = kernel.acquire("job", Duration.ZERO);
        kernel.close();
        assertThatThrownBy(() -> FileLockRegistry.builder(dir).type(LockType.SOFT).build())
                .isInstanceOf(MixedLockTypesException.class);
        hold.close();
        try (FileLockRegistry soft = FileLockRegistry.builder(dir).type(LockType.SOFT).build()) {
            assertThat(soft.type()).isEqualTo(LockType.SOFT);
        }
    }

    /**
     * The check and the creation of the state are one step: a SOFT build parked after its check, its state not yet
     * visible, must not let a racing FILE_CHANNEL build through (that one waits, then is refused).
     */
    @Test
    void aBuildRacingAnotherKindsCreationIsRefused() throws Exception {
        CountDownLatch parked = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        AtomicReference<Thread> softBuilder = new AtomicReference<>();
        TestHooks.install((point, subject) -> {
            if (point.equals("FileSpaces.create") && Thread.currentThread() == softBuilder.get()) {
                parked.countDown();
                try {
                    resume.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        try {
            CompletableFuture<Object> soft = new CompletableFuture<>();
            CompletableFuture<Object> channel = new CompletableFuture<>();
            Thread first = new Thread(() -> build(LockType.SOFT, soft), "soft-builder");
            softBuilder.set(first);
            first.start();
            assertThat(parked.await(30, TimeUnit.SECONDS)).as("the soft build reached its creation").isTrue();

            Thread second = new Thread(() -> build(LockType.FILE_CHANNEL, channel), "channel-builder");
            second.start();
            while (!channel.isDone() && second.getState() != Thread.State.BLOCKED) {
                Thread.onSpinWait(); // until it either got through or waits for the soft build to finish
            }
            resume.countDown();
            first.join(30_000);
            second.join(30_000);
            try {
                assertThat(soft.get()).as("the first build").isInstanceOf(FileLockRegistry.class);
                assertThat(channel.get()).as("the racing build").isInstanceOf(MixedLockTypesException.class);
            } finally {
                for (Object built : List.of(soft.get(), channel.get())) {
                    if (built instanceof FileLockRegistry registry) {
                        registry.close();
                    }
                }
            }
        } finally {
            resume.countDown();
            TestHooks.install(null);
        }
    }

    // The registry stays open (the test closes it) so that its state stays while the other build runs.
    private void build(LockType type, CompletableFuture<Object> result) {
        try {
            result.complete(FileLockRegistry.builder(dir).type(type).build());
        } catch (RuntimeException e) {
            result.complete(e);
        }
    }
}
