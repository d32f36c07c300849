package io.github.filelock.integration;

import io.github.filelock.FileLockRegistry;
import java.nio.file.Path;
import org.springframework.integration.leader.Context;
import org.springframework.integration.leader.DefaultCandidate;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;

/**
 * Another instance taking part in Spring Integration leader election through a
 * {@link FileLockIntegrationRegistry}. Arguments: directory, role. Prints {@code GRANTED} and {@code REVOKED}
 * as leadership comes and goes; runs until stdin ends or it is killed.
 */
public final class LeaderChild {

    public static void main(String[] args) throws Exception {
        try (FileLockRegistry registry = FileLockRegistry.builder(Path.of(args[0])).build()) {
            LockRegistryLeaderInitiator initiator = new LockRegistryLeaderInitiator(
                    new FileLockIntegrationRegistry(registry), new DefaultCandidate("child", args[1]) {
                        @Override
                        public void onGranted(Context context) {
                            System.out.println("GRANTED");
                        }

                        @Override
                        public void onRevoked(Context context) {
                            System.out.println("REVOKED");
                        }
                    });
            initiator.setApplicationEventPublisher(event -> { });
            initiator.start();
            while (System.in.read() >= 0) {
                // lead until the test lets go of us
            }
            initiator.stop();
        }
    }
}
