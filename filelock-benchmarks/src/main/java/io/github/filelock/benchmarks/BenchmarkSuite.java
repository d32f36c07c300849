package io.github.filelock.benchmarks;

import io.github.filelock.benchmarks.contention.ContentionHarness;
import io.github.filelock.benchmarks.contention.ContentionRounds;
import io.github.filelock.benchmarks.handoff.HandOffHarness;
import io.github.filelock.benchmarks.handoff.InTurn;
import io.github.filelock.benchmarks.handoff.PostgresHandOffs;
import io.github.filelock.benchmarks.handoff.RedisHandOffs;
import io.github.filelock.benchmarks.handoff.RedisLocks;
import io.github.filelock.benchmarks.jmh.BusyLockBenchmark;
import io.github.filelock.benchmarks.jmh.ContendedLockBenchmark;
import io.github.filelock.benchmarks.jmh.JmhRun;
import io.github.filelock.benchmarks.jmh.PostgresLockBenchmark;
import io.github.filelock.benchmarks.jmh.UncontendedLockBenchmark;
import io.github.filelock.benchmarks.names.NamesHarness;
import io.github.filelock.benchmarks.names.NamesResult;
import io.github.filelock.benchmarks.report.MachineInfo;
import io.github.filelock.benchmarks.report.SuiteReport;
import io.github.filelock.benchmarks.spring.MetricsOverheadBenchmark;
import io.github.filelock.benchmarks.spring.SpringFileLockedBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs every measurement in one go and prints one markdown report, each figure next to a baseline measured
 * in the same run. {@code run-benchmarks.sh} is the documented way to start it; arguments are
 * {@code key=value} pairs of {@link SuiteSettings}.
 */
public final class BenchmarkSuite {

    /** Python filelock's default poll interval, and a fast one for a fairer comparison. */
    static final double DEFAULT_POLL = 0.05;
    static final double FAST_POLL = 0.001;

    /**
     * Benchmarks of the JMH run; later issues add theirs here.
     * {@link PostgresLockBenchmark} runs when a server is named.
     */
    static final List<Class<?>> JMH_BENCHMARKS = List.of(UncontendedLockBenchmark.class, BusyLockBenchmark.class,
            ContendedLockBenchmark.class, SpringFileLockedBenchmark.class, MetricsOverheadBenchmark.class);

    private BenchmarkSuite() {
    }

    public static void main(String[] args) throws Exception {
        SuiteSettings settings = SuiteSettings.parse(args);
        Path report = Path.of(settings.report()).toAbsolutePath();
        SuiteResults results = run(settings, report.resolveSibling("jmh-result.json"));
        String markdown = SuiteReport.render(results);
        Files.writeString(report, markdown);
        System.out.println();
        System.out.println(markdown);
        System.out.println("(written to " + report + ")");
    }

    public static SuiteResults run(SuiteSettings settings, Path jmhJson) throws Exception {
        long start = System.nanoTime();
        MachineInfo machine = MachineInfo.describe(BenchDirs.base());
        Files.createDirectories(jmhJson.getParent());
        boolean quick = settings.quickStart();

        Map<String, Double> jmh = Map.of();
        if (settings.jmh()) {
            List<Class<?>> benchmarks = new ArrayList<>(JMH_BENCHMARKS);
            if (settings.runPostgres()) {
                benchmarks.add(PostgresLockBenchmark.class);
            }
            jmh = JmhRun.run(benchmarks, jmhJson);
        }
        boolean python = PythonScripts.available();
        log("cross-process hand-off");
        HandOffHarness handOffs = new HandOffHarness(settings.handOffs(), settings.handOffWarmUp(),
                settings.holdMicros(), quick);
        // The three locks the target row compares run as pairs that take turns (see javaPairsInTurn); the other
        // columns are context, run once.
        Map<String, InTurn> compared = handOffs.javaPairsInTurn(List.of("registry", "bare", "bare-checked"),
                settings.handOffTurns());
        LatencyStats javaHandOff = pooledHandOffs(compared, "registry");
        LatencyStats bareHandOff = pooledHandOffs(compared, "bare");
        LatencyStats checkedHandOff = pooledHandOffs(compared, "bare-checked");
        LatencyStats javaHelperHandOff = handOffs.javaHelperPair();
        LatencyStats softHandOff = handOffs.softPair();
        LatencyStats helperHandOff = handOffs.bareFlockViaHelperPair();
        LatencyStats pythonFast = python ? handOffs.pythonPair(FAST_POLL) : null;
        LatencyStats pythonDefault = python
                ? new HandOffHarness(settings.slowPollHandOffs(), 20, settings.holdMicros(), quick)
                        .pythonPair(DEFAULT_POLL)
                : null;

        log("cross-process alternation");
        Map<String, InTurn> alternations = handOffs.alternationsInTurn(List.of("registry", "bare"),
                settings.alternations(), settings.handOffTurns());

        PostgresHandOffs postgres = null;
        if (settings.runPostgres()) {
            log("PostgreSQL hand-off");
            postgres = new PostgresHandOffs(
                    new HandOffHarness(settings.postgresHandOffs(), 100, settings.holdMicros(), quick)
                            .postgresPair("pg-registry"),
                    new HandOffHarness(settings.postgresHandOffs(), 100, settings.holdMicros(), quick)
                            .postgresPair("pg-bare"),
                    new HandOffHarness(settings.jdbcRegistryHandOffs(), 20, settings.holdMicros(), quick)
                            .postgresPair("pg-jdbc-registry"));
        }

        if (RedisLocks.urlOrNull() != null) {
            log("Redis hand-off");
            RedisHandOffs redis = RedisHandOffs.measure(settings.postgresHandOffs(), settings.holdMicros(), quick);
            System.out.println(redis.table()); // not in the suite's report tables yet: see docs/redis.md
        }

        log("cross-process contention");
        ContentionHarness contention = new ContentionHarness(settings.processes(), settings.threads(),
                settings.increments(), quick);
        ContentionRounds javaContention = contention.javaWorkers();
        ContentionRounds pythonContention = python ? contention.pythonWorkers(DEFAULT_POLL) : null;
        ContentionRounds bareContention = contention.javaWorkers("bare");
        ContentionRounds fairBareContention = contention.javaWorkers("fair-bare");
        ContentionRounds checkedContention = contention.javaWorkers("fair-checked");
        ContentionRounds noCohortContention = contention.javaWorkers("registry-no-cohort");

        log("distinct names");
        NamesResult keep = new NamesHarness(settings.names(), settings.namesHeap(), quick).run(false);
        NamesResult delete = new NamesHarness(settings.namesDeleting(), settings.namesHeap(), quick).run(true);

        return new SuiteResults(settings, machine.withLoadAtEnd(), jmh, javaHandOff, softHandOff, bareHandOff,
                checkedHandOff,
                helperHandOff, javaHelperHandOff,
                pythonDefault, pythonFast, javaContention, pythonContention, bareContention, fairBareContention,
                checkedContention, noCohortContention, keep, delete, postgres, alternations.get("registry"),
                alternations.get("bare"), compared, System.nanoTime() - start);
    }

    // A ping-pong pair always samples every hand-off, so no pair of these is ever empty.
    private static LatencyStats pooledHandOffs(Map<String, InTurn> compared, String lock) {
        return Objects.requireNonNull(compared.get(lock).pooled(), () -> "no hand-off of " + lock + " was sampled");
    }

    private static void log(String what) {
        System.out.println("# filelock-benchmarks: " + what + " ...");
    }
}
