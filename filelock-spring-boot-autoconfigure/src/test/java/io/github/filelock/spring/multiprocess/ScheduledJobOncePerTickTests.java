package io.github.filelock.spring.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code @Scheduled} + {@code timeout = "0", onTimeout = SKIP} on two instances whose triggers fire 200 ms apart,
 * with a 10 ms job. Without a minimum hold the first instance is done before the second fires, and both run the
 * tick; {@code filelock.locks.tick.hold-at-least=400ms} keeps the lock past the second trigger (and clear of the
 * next tick, 800 ms later), so each tick runs exactly once.
 */
class ScheduledJobOncePerTickTests {

    private static final int TICKS = 20;

    @TempDir
    Path tmp;

    @Test
    void holdAtLeastRunsAShortJobExactlyOncePerTickAcrossTwoInstances() throws Exception {
        Path record = tmp.resolve("runs.txt");
        Files.createFile(record);
        String[] common = { "--filelock.dir=" + tmp.resolve("locks"), "--ticks.record=" + record,
                "--ticks.period-ms=800", "--ticks.count=" + TICKS, "--filelock.locks.tick.hold-at-least=400ms" };
        try (ChildApp first = ChildApp.start(ScheduledTicksApplication.class, tmp.resolve("first.log"),
                with(common, "--ticks.offset-ms=0"));
                ChildApp second = ChildApp.start(ScheduledTicksApplication.class, tmp.resolve("second.log"),
                        with(common, "--ticks.offset-ms=200"))) {
            first.awaitLine("READY");
            second.awaitLine("READY");
            String go = "go " + (System.currentTimeMillis() + 500);
            first.send(go);
            second.send(go);
            first.awaitLine("DONE");
            second.awaitLine("DONE");
        }
        Map<Integer, List<String>> runsByTick = new TreeMap<>(Files.readAllLines(record).stream()
                .collect(Collectors.groupingBy(line -> Integer.parseInt(line.split(" ")[0]))));
        assertThat(runsByTick.keySet()).as("every tick ran").containsExactlyElementsOf(
                IntStream.rangeClosed(1, TICKS).boxed().toList());
        assertThat(runsByTick).as("runs per tick (tick -> 'tick pid' lines)")
                .allSatisfy((tick, runs) -> assertThat(runs).as("tick %d", tick).hasSize(1));
    }

    private static String[] with(String[] common, String extra) {
        String[] all = java.util.Arrays.copyOf(common, common.length + 1);
        all[common.length] = extra;
        return all;
    }
}
