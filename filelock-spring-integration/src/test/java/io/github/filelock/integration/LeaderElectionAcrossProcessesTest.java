package io.github.filelock.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.test.ChildJvm;
import io.github.filelock.test.FileLockAssert;
import io.github.filelock.test.FileLockExtension;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.integration.leader.Context;
import org.springframework.integration.leader.DefaultCandidate;
import org.springframework.integration.leader.event.OnFailedToAcquireMutexEvent;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;

/** What the registry is for: SI leader election among processes, where a killed leader's role moves on. */
@ExtendWith(FileLockExtension.class)
class LeaderElectionAcrossProcessesTest {

    @Test
    void aKilledLeadersRoleGoesToTheOtherProcess(FileLockRegistry files) throws Exception {
        CountDownLatch granted = new CountDownLatch(1);
        CountDownLatch revoked = new CountDownLatch(1);
        CountDownLatch triedAndFailed = new CountDownLatch(1);
        LockRegistryLeaderInitiator initiator = new LockRegistryLeaderInitiator(new FileLockIntegrationRegistry(files),
                new DefaultCandidate("test", "indexer") {
                    @Override
                    public void onGranted(Context context) {
                        granted.countDown();
                    }

                    @Override
                    public void onRevoked(Context context) {
                        revoked.countDown();
                    }
                });
        initiator.setPublishFailedEvents(true);
        initiator.setApplicationEventPublisher(event -> {
            if (event instanceof OnFailedToAcquireMutexEvent) {
                triedAndFailed.countDown();
            }
        });

        try (ChildJvm leader = ChildJvm.start(LeaderChild.class, files.directory(), "indexer")) {
            leader.awaitLine(Duration.ofSeconds(60), "GRANTED");
            initiator.start();
            try {
                assertThat(triedAndFailed.await(30, TimeUnit.SECONDS)).as("this JVM tried while the child led")
                        .isTrue();
                assertThat(granted.getCount()).as("not leader while the child leads").isEqualTo(1);
                FileLockAssert.assertHeldByOtherProcess(files, "indexer");

                leader.close(); // SIGKILL: no unlock, no revoke; the kernel frees its lock
                assertThat(granted.await(30, TimeUnit.SECONDS)).as("leader after the child died").isTrue();
                FileLockAssert.assertHeldByThisProcess(files, "indexer");
            } finally {
                initiator.stop();
            }
            assertThat(revoked.await(30, TimeUnit.SECONDS)).as("stop gives leadership back").isTrue();
            FileLockAssert.assertFree(files, "indexer");
        }
    }
}
