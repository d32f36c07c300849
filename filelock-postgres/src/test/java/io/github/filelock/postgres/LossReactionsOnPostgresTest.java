package io.github.filelock.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A postgres lock whose session the server ends is a loss the holder sees as a soft-lease loss is: its
 * {@link FileLockHold#whenLost} action runs, and its thread is interrupted where the registry opted the name in.
 */
class LossReactionsOnPostgresTest {

    @Test
    void anEndedSessionRunsTheLossActionAndInterruptsTheHolderOfAnOptedInName() throws Exception {
        Duration keepalive = Duration.ofSeconds(1);
        try (PostgresLockBackend backend = PostgresLockBackend.open(TestServer.settings().keepalive(keepalive).build());
             FileLockRegistry locks = FileLockRegistry.builder(backend).interruptOnLoss(List.of("pg-job")).build();
             ServerView view = new ServerView()) {
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch lossAction = new CountDownLatch(1);
            CompletableFuture<String> worker = CompletableFuture.supplyAsync(() -> {
                try (FileLockHold hold = locks.acquire("pg-job", Duration.ofSeconds(5))) {
                    hold.whenLost(lossAction::countDown);
                    held.countDown();
                    Thread.sleep(30_000);
                    return "slept on";
                } catch (InterruptedException e) {
                    return "interrupted";
                }
            });
            assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
            List<Integer> holder = view.granted(AdvisoryKey.of(TestServer.NAMESPACE, "pg-job"));
            assertThat(holder).hasSize(1);
            view.terminate(holder.get(0));
            long bound = LossBounds.of(keepalive).holderDeclaresWithin().toMillis() + 5_000;
            assertThat(lossAction.await(bound, TimeUnit.MILLISECONDS)).isTrue();
            assertThat(worker.get(10, TimeUnit.SECONDS)).isEqualTo("interrupted");
            assertThat(locks.diagnostics().lostHolds()).isEqualTo(1);
        }
    }
}
