package io.github.filelock.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.benchmarks.contention.ContentionResult;
import io.github.filelock.benchmarks.contention.ContentionRounds;
import io.github.filelock.benchmarks.contention.HandOffGaps;
import io.github.filelock.benchmarks.handoff.InTurn;
import io.github.filelock.benchmarks.report.SuiteReport;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the whole suite except JMH with tiny sizes, so the harnesses cannot rot: real child JVMs and python3
 * processes, real files. It checks that results are exact and sane, never how fast they are.
 */
class BenchmarkSuiteSmokeTest {

    @Test
    void suiteRunsEndToEndWithExactResults(@TempDir Path out) throws Exception {
        SuiteSettings settings = SuiteSettings.parse("jmh=false", "quickStart=true", "handoffs=20",
                "handoffWarmup=10", "handoffTurns=2", "holdMicros=200", "slowPollHandoffs=4", "processes=2",
                "threads=2", "increments=25", "names=300", "namesDeleting=300", "namesHeap=64m", "postgresHandoffs=10",
                "jdbcRegistryHandoffs=2", "alternations=300");

        SuiteResults results = BenchmarkSuite.run(settings, out.resolve("jmh.json"));

        // every hand-off of the ping-pong was sampled, and a hand-off takes time. The three locks that run as pairs
        // in turn pool two pairs of 11 samples each (10 asked; a pair samples every hand-off of its peers' whole
        // rounds, one more here), the others 21
        assertThat(results.handOffPairs().get("registry").pairs()).hasSize(2);
        assertThat(results.javaHandOff().count()).isEqualTo(22);
        assertThat(results.javaHandOff().medianNanos()).isPositive();
        assertThat(results.javaHandOff().maxNanos()).isGreaterThanOrEqualTo(results.javaHandOff().p99Nanos());
        assertThat(results.softHandOff().count()).isEqualTo(21);
        assertThat(results.bareFlockHandOff().count()).isEqualTo(22);
        assertThat(results.checkedFlockHandOff().count()).isEqualTo(22);
        assertThat(results.helperFlockHandOff().count()).isEqualTo(21);
        assertThat(results.javaHelperHandOff().count()).isEqualTo(21);

        // both JVMs looped on the name; releases that met the other one waiting are sampled, and a run in which none
        // did after the warm-up (loops that did not overlap) is a result: reported as no sample
        for (LatencyStats alternation : new LatencyStats[] {results.alternation(), results.bareAlternation()}) {
            if (alternation != null) {
                assertThat(alternation.count()).isPositive();
                assertThat(alternation.medianNanos()).isPositive();
            }
        }
        // each lock ran as two pairs, and the pooled figures count every pair's samples (a pair may have none)
        for (InTurn pairs : new InTurn[] {results.alternationPairs(), results.bareAlternationPairs()}) {
            assertThat(pairs.pairs()).hasSize(2);
            int sampled = pairs.pairs().stream().mapToInt(s -> s == null ? 0 : s.count()).sum();
            assertThat(pairs.pooled() == null ? 0 : pairs.pooled().count()).isEqualTo(sampled);
        }

        assertThat(results.javaContention().first().finalCount()).isEqualTo(100);
        assertThat(results.javaContention().first().waits().count()).isEqualTo(100);
        assertThat(results.javaContention().first().longestAfterWarmUpNanos())
                .isBetween(0L, results.javaContention().first().waits().maxNanos());
        // the two kernel baselines count exactly too: bare flock on a descriptor per thread, and a fair lock around it
        assertThat(results.bareContention().first().finalCount()).isEqualTo(100);
        assertThat(results.bareContention().first().waits().count()).isEqualTo(100);
        assertThat(results.fairBareContention().first().finalCount()).isEqualTo(100);
        assertThat(results.fairBareContention().first().waits().count()).isEqualTo(100);
        assertThat(results.checkedContention().first().finalCount()).isEqualTo(100);
        // each JVM reports its JIT time (python3 has none), and every run splits into holdings and hand-offs
        assertThat(results.javaContention().first().compileMillis()).isNotNegative();
        for (ContentionRounds rounds : new ContentionRounds[] {results.javaContention(), results.checkedContention(),
            results.noCohortContention(), results.bareContention(), results.fairBareContention()}) {
            assertSplitsTheRun(rounds.first());
            assertSplitsTheRun(rounds.second());
        }
        // the second round counts exactly too, in a counter of its own
        assertThat(results.javaContention().second().finalCount()).isEqualTo(100);
        assertThat(results.javaContention().second().waits().count()).isEqualTo(100);
        assertThat(results.checkedContention().second().finalCount()).isEqualTo(100);
        assertThat(results.noCohortContention().first().finalCount()).isEqualTo(100);
        assertThat(results.noCohortContention().first().waits().count()).isEqualTo(100);
        if (results.pythonContention() != null) {
            assertThat(results.pythonContention().first().finalCount()).isEqualTo(100);
            assertThat(results.pythonContention().second().finalCount()).isEqualTo(100);
            assertThat(results.pythonContention().first().compileMillis()).isEqualTo(-1);
            assertSplitsTheRun(results.pythonContention().first());
            assertSplitsTheRun(results.pythonContention().second());
            assertThat(results.pythonHandOffFastPoll().count()).isEqualTo(21);
            assertThat(results.pythonHandOffDefaultPoll().count()).isEqualTo(5);
        }

        // with a server named (CI names one), both PostgreSQL baselines ping-pong through it
        assertThat(results.postgres() != null).isEqualTo(settings.runPostgres());
        if (results.postgres() != null) {
            assertThat(results.postgres().registry().count()).isEqualTo(11);
            assertThat(results.postgres().registry().medianNanos()).isPositive();
            assertThat(results.postgres().bare().count()).isEqualTo(11);
            assertThat(results.postgres().jdbcLockRegistry().count()).isEqualTo(3);
        }

        assertThat(results.namesKeep().filesLeft()).isEqualTo(300);
        assertThat(results.namesDelete().filesLeft()).isLessThan(300);
        assertThat(results.namesKeep().peakFds()).isGreaterThan(results.namesKeep().fdsBefore());

        String report = SuiteReport.render(results);
        if (results.alternation() == null || results.bareAlternation() == null) {
            assertThat(report).contains("(no sample)");
        }
        assertThat(report).contains("| cross-process hand-off, median |",
                "| cross-process hand-off, `LockType.SOFT`, median |",
                "| cross-process alternation (2 JVMs loop on one name): release to the other's acquire, median |",
                "| final count (expected 100) | 100 (exact)",
                "| files left in the lock directory | 300 |", "| CPUs (nproc) |",
                "| longest wait after each thread's first 5 |",
                "| contention: total time and median wait, against the registry without the cohort hand-off |",
                "| contention: total time, against the same floor with the file calls of each new holder |",
                "| hand-offs to another process: count, median, sum |",
                "| median of each pair of JVMs, in the order they ran | " + results.handOffPairs().get("registry")
                        .pairMedians() + " |",
                "| " + SuiteReport.ALTERNATION_PAIRS + " | " + results.alternationPairs().pairMedians() + " | "
                        + results.bareAlternationPairs().pairMedians() + " |",
                "## Cross-process contention, second round in the same processes (warm)",
                "| contention, second round: total time and longest wait, against the fair floor with the file"
                        + " calls |");
        if (results.postgres() != null) {
            assertThat(report).contains("| across hosts: `postgres` hand-off, 2 JVMs, median |",
                    "against Spring Integration's `JdbcLockRegistry` |");
        }
    }

    // Every holding but the first follows a hand-off, and holders' work plus the hand-offs spans the first grant to the
    // last release, inside the run: a stamp read from the wrong field (a wait, not a time) would leave that range.
    private static void assertSplitsTheRun(ContentionResult run) {
        HandOffGaps gaps = run.gaps();
        assertThat(gaps.overlaps()).as("holders at once, by their stamps").isZero();
        assertThat(gaps.sameProcessCount() + gaps.otherProcessCount()).isEqualTo(run.waits().count() - 1);
        assertThat(gaps.sameProcessTotalNanos()).isNotNegative();
        assertThat(gaps.otherProcessTotalNanos()).isNotNegative();
        assertThat(gaps.heldTotalNanos() + gaps.sameProcessTotalNanos() + gaps.otherProcessTotalNanos())
                .isBetween(1L, run.totalNanos());
    }
}
