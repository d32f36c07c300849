package io.github.filelock.crossprocess;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.internal.TestHooks;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Child JVM: one holder of {@code job} leaves while a second thread of this JVM is queued for it, then prints
 * {@code KEPT <n>}, how many times the engine kept the lock for that thread (the cohort hand-off). The parent starts it
 * with and without {@code -Dfilelock.cohortHandOff=false}. Arguments: {@code dir= [type=FLOCK]}.
 */
public final class CohortSwitchChild {

    private CohortSwitchChild() {
    }

    public static void main(String[] argv) throws Exception {
        AtomicInteger kept = new AtomicInteger();
        TestHooks.install((point, subject) -> {
            if (point.equals("KeyEntry.kept")) {
                kept.incrementAndGet();
            }
        });
        try (FileLockRegistry registry = new ChildArgs(argv).registry()) {
            Thread writer;
            try (FileLockHold first = registry.acquire("job")) {
                writer = new Thread(() -> registry.acquire("job", Duration.ofSeconds(30)).close(), "writer");
                writer.start();
                while (registry.diagnostics().waiters().isEmpty() || (writer.getState() != Thread.State.WAITING
                        && writer.getState() != Thread.State.TIMED_WAITING)) {
                    Thread.sleep(1);
                }
            }
            writer.join();
        }
        System.out.println("KEPT " + kept.get());
    }
}
