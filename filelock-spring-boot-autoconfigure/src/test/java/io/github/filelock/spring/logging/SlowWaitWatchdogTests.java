package io.github.filelock.spring.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.FileLockTimeoutException;
import io.github.filelock.spring.support.HeldByAnotherThread;
import io.github.filelock.spring.support.LockHoldingChild;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A wait past filelock.log.slow-wait logs one WARN under io.github.filelock naming the holder, while the wait
 * still goes on. (System.Logger reaches java.util.logging here; in a Boot app JUL is bridged to SLF4J.)
 */
class SlowWaitWatchdogTests {

    @TempDir
    Path tmp;

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger jul = Logger.getLogger("io.github.filelock");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void capture() {
        jul.addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        jul.removeHandler(capture);
    }

    @Test
    void warnsOncePerSlowWaitNamingTheHolderOfThisJvm() throws Exception {
        try (FileLockRegistry registry = FileLockRegistry.builder(tmp).build();
                SlowWaitWatchdog watchdog = new SlowWaitWatchdog(registry, Duration.ofMillis(100));
                HeldByAnotherThread holder = new HeldByAnotherThread(registry, "nightly")) {
            registry.acquire("nightly", Duration.ofMillis(700)).close();
        } catch (FileLockTimeoutException expected) {
            // waited 700 ms, 7 thresholds, for a lock that stayed held
        }
        List<String> warnings = warnings();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("lock 'nightly'", "thread holder-of-nightly",
                "pid " + ProcessHandle.current().pid(), "HELD_BY_THIS_PROCESS");
    }

    @Test
    void namesAHolderInAnotherProcessByPid() throws Exception {
        try (LockHoldingChild child = LockHoldingChild.start(tmp, "import");
                FileLockRegistry registry = FileLockRegistry.builder(tmp).build();
                SlowWaitWatchdog watchdog = new SlowWaitWatchdog(registry, Duration.ofMillis(100))) {
            try {
                registry.acquire("import", Duration.ofMillis(500)).close();
            } catch (FileLockTimeoutException expected) {
                // the child keeps it
            }
            List<String> warnings = warnings();
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0)).contains("lock 'import'", "pid " + child.pid(), "HELD_BY_OTHER_PROCESS");
        }
    }

    @Test
    void quickWaitsAndUncontendedCallsLogNothing() throws Exception {
        try (FileLockRegistry registry = FileLockRegistry.builder(tmp).build();
                SlowWaitWatchdog watchdog = new SlowWaitWatchdog(registry, Duration.ofMillis(300))) {
            for (int i = 0; i < 100; i++) {
                registry.acquire("quick", Duration.ofSeconds(1)).close();
            }
            Thread.sleep(400);
        }
        assertThat(warnings()).isEmpty();
    }

    private List<String> warnings() {
        return records.stream().filter(r -> r.getLevel() == java.util.logging.Level.WARNING)
                .map(LogRecord::getMessage).toList();
    }
}
