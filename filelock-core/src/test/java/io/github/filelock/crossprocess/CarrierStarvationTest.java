package io.github.filelock.crossprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * With one carrier thread, 1,000 virtual threads waiting for a lock that another process (this one) holds leave the
 * carrier free: another virtual thread still runs within 50 ms. A wait that blocked in native code on a virtual
 * thread would pin the only carrier, and the probe would never run.
 */
@Tag("jdk25")
@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "needs virtual threads: mvn -P jdk25 runs it on Temurin 25")
@Timeout(300)
class CarrierStarvationTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @Test
    void aThousandWaitingVirtualThreadsDoNotStarveAnotherOneOnASingleCarrier() throws Exception {
        try (FileLockRegistry registry = FileLockRegistry.builder(dir).build()) {
            FileLockHold held = registry.acquire("busy", Duration.ZERO);
            // maxPoolSize=1 as well: no extra carrier may stand in for a pinned one.
            ChildProcess child = children.jvm(List.of("-Djdk.virtualThreadScheduler.parallelism=1",
                    "-Djdk.virtualThreadScheduler.maxPoolSize=1"), StarvationChild.class, ChildArgs.arg("dir", dir),
                    ChildArgs.arg("name", "busy"), ChildArgs.arg("waiters", 1000));
            String probed = child.awaitLine(line -> line.startsWith("PROBED") || line.startsWith("STARVED")
                    || line.startsWith("STUCK"), "a probe result", Duration.ofMinutes(2));
            assertThat(probed).as(child.describe()).startsWith("PROBED");
            long worstMicros = Long.parseLong(probed.replaceAll(".*worst_us=(\\d+).*", "$1"));
            held.close();
            String granted = child.awaitLine("GRANTED", Duration.ofMinutes(2));
            System.out.printf("[vthreads] one carrier, 1000 virtual threads waiting on a lock held elsewhere: the"
                    + " slowest of %d new virtual threads ran after %d us (%s); %s%n", StarvationChild.PROBES,
                    worstMicros, probed, granted);
            assertThat(worstMicros).as("worst delay before a new virtual thread ran, us").isLessThan(50_000);
            assertThat(granted).isEqualTo("GRANTED 1000");
        }
    }
}
