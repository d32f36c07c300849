package io.github.filelock.crossprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fencing tokens across processes: 4 JVMs, each with two threads, take one flock lock 200 times together and log,
 * under the lock, the token each hold got. The log's order is the holds' order, and the tokens in it must be
 * strictly increasing: 800 distinct numbers, each greater than all before it, whoever (process or thread) held.
 */
class FencingTokensTest {

    private static final int JVMS = 4;
    private static final int HOLDS = 200;

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @TempDir
    Path dir;
    @TempDir
    Path data;

    @Test
    void tokensOfFourProcessesAreDistinctAndStrictlyIncreasingInHoldOrder() throws Exception {
        Path log = data.resolve("holds.log");
        List<ChildProcess> fencers = new ArrayList<>();
        for (int i = 0; i < JVMS; i++) {
            fencers.add(children.jvm(FencingChild.class, ChildArgs.arg("dir", dir), ChildArgs.arg("log", log),
                    ChildArgs.arg("holds", HOLDS), ChildArgs.arg("threads", 2)));
        }
        for (ChildProcess fencer : fencers) {
            fencer.awaitLine("READY", Duration.ofSeconds(60));
        }
        long start = System.nanoTime();
        fencers.forEach(fencer -> fencer.send("GO"));
        for (ChildProcess fencer : fencers) {
            fencer.awaitLine("DONE", Duration.ofSeconds(120));
            assertThat(fencer.awaitExit(Duration.ofSeconds(30))).as(fencer.describe()).isZero();
        }
        long took = System.nanoTime() - start;

        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(JVMS * HOLDS);
        Set<String> holders = new HashSet<>();
        Set<Long> tokens = new HashSet<>();
        long last = 0;
        int handOffs = 0;
        String previous = null;
        for (String line : lines) {
            String[] fields = line.split(" ");
            long token = Long.parseLong(fields[0]);
            assertThat(token).as("token after " + last + " in line '" + line + "'").isGreaterThan(last);
            last = token;
            tokens.add(token);
            String holder = fields[1] + "/" + fields[2];
            holders.add(holder);
            if (previous != null && !previous.split("/")[0].equals(fields[1])) {
                handOffs++;
            }
            previous = holder;
        }
        assertThat(tokens).hasSize(JVMS * HOLDS);
        assertThat(holders).hasSize(JVMS * 2);
        assertThat(Files.readString(dir.resolve("fenced.lock.fence")).trim()).isEqualTo(String.valueOf(last));
        System.out.printf("fencing: %d holds by %d JVMs x 2 threads in %.0f ms, %d distinct tokens %d..%d, %d"
                + " hand-offs between processes%n", lines.size(), JVMS, took / 1e6, tokens.size(),
                Long.parseLong(lines.get(0).split(" ")[0]), last, handOffs);
    }
}
