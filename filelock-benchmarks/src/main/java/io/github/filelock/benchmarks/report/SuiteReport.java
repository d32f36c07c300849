package io.github.filelock.benchmarks.report;

import static io.github.filelock.benchmarks.report.Figures.micros;
import static io.github.filelock.benchmarks.report.Figures.nanos;
import static io.github.filelock.benchmarks.report.Figures.perSecond;
import static io.github.filelock.benchmarks.report.Figures.ratio;
import static io.github.filelock.benchmarks.report.Figures.seconds;
import static io.github.filelock.benchmarks.report.Figures.verdict;

import io.github.filelock.benchmarks.LatencyStats;
import io.github.filelock.benchmarks.SuiteResults;
import io.github.filelock.benchmarks.SuiteSettings;
import io.github.filelock.benchmarks.contention.ContentionHarness;
import io.github.filelock.benchmarks.contention.ContentionResult;
import io.github.filelock.benchmarks.contention.ContentionRounds;
import io.github.filelock.benchmarks.handoff.HandOffHarness;
import io.github.filelock.benchmarks.handoff.InTurn;
import io.github.filelock.benchmarks.handoff.PostgresHandOffs;
import io.github.filelock.benchmarks.names.NamesResult;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** Renders one suite run as markdown: the targets table, then the detail tables, settings and machine. */
public final class SuiteReport {

    // issue 16's targets: ratios against baselines of the same run, and two bounds in time
    private static final double TARGET_UNCONTENDED = 2;
    private static final double TARGET_HANDOFF_MEDIAN = 2;
    private static final double TARGET_HANDOFF_P99 = 5;
    private static final long TARGET_ALTERNATION_MEDIAN = 100_000;
    private static final long TARGET_LONGEST_WAIT = 50_000_000;
    private static final long TARGET_POSTGRES_HANDOFF_MEDIAN = 2_000_000;
    private static final String NA = "n/a";
    private static final String ALTERNATION_MEDIAN =
            "cross-process alternation (2 JVMs loop on one name): release to the other's acquire, median";
    // An alternation in which no release ever reached the other JVM: the releasing one barged every time.
    /** The alternation table's row of each pair's median. */
    public static final String ALTERNATION_PAIRS =
            "median of each pair of JVMs, in the order they ran (no sample: no release met the other JVM waiting)";
    private static final String NO_SAMPLE = "bare blocking `flock`, same loop: no release met the other JVM waiting"
            + " (no sample)";

    private SuiteReport() {
    }

    public static String render(SuiteResults r) {
        StringBuilder out = new StringBuilder();
        out.append("## Targets (figure against a baseline measured in the same run)\n\n");
        out.append(targets(r).render()).append('\n');
        out.append("## Cross-process hand-off (two processes ping-pong one lock)\n\n");
        out.append(handOffs(r).render()).append('\n');
        out.append("## Cross-process alternation (two JVMs loop on acquire + release of one name)\n\n");
        out.append(alternation(r).render()).append('\n');
        if (r.bareAlternation() == null || r.alternation() == null) {
            out.append("n/a: no release met the other JVM waiting after the warm-up samples were dropped (no sample):"
                    + " the two loops did not overlap, or every such release fell in the warm-up.\n\n");
        }
        if (r.postgres() != null) {
            out.append("## Across hosts: PostgreSQL hand-off (two JVMs ping-pong one lock through the server)\n\n");
            out.append(postgres(r.postgres()).render()).append('\n');
        }
        out.append("## Cross-process contention (").append(contentionShape(r.settings()))
                .append(" increments of one counter file; first round, in processes just started)\n\n");
        out.append(contention(r, ContentionRounds::first).render()).append('\n');
        out.append("## Cross-process contention, second round in the same processes (warm)\n\n");
        out.append(contention(r, ContentionRounds::second).render()).append('\n');
        out.append("## Distinct names, each acquired once and closed (one fresh JVM per column)\n\n");
        out.append(names(r).render()).append('\n');
        out.append("## Settings\n\n").append(settings(r)).append('\n');
        out.append("## Machine\n\n").append(r.machine().render());
        return out.toString();
    }

    private static MarkdownTable targets(SuiteResults r) {
        MarkdownTable table = new MarkdownTable("what", "filelock", "baseline", "ratio", "target", "result");
        Double acquire = r.jmh().get("UncontendedLockBenchmark.registryAcquireClose");
        Double bare = r.jmh().get("UncontendedLockBenchmark.bareFlockPair");
        if (acquire != null && bare != null) {
            table.row("uncontended `acquire`+`close`, 1 thread, 1 name", nanos(acquire),
                    nanos(bare) + " bare `flock` EX+UN on an open fd", ratio(acquire / bare), "<= 2x",
                    verdict(acquire / bare <= TARGET_UNCONTENDED));
        }
        Double handOffs = r.jmh().get("ContendedLockBenchmark.registryHandOff");
        Double floor = r.jmh().get("UncontendedLockBenchmark.bareFlockPairPlusPathCheck");
        if (acquire != null && bare != null && floor != null) {
            table.row("the same against the floor with the deleted-file check", nanos(acquire),
                    nanos(floor) + " bare `flock` EX + `statx` of the lock file's path + UN (" + ratio(floor / bare)
                            + " the bare pair)", ratio(acquire / floor), "report", "-");
        }
        Double busy = r.jmh().get("BusyLockBenchmark.registryFailedTryAcquire");
        Double bareBusy = r.jmh().get("BusyLockBenchmark.bareFailedTry");
        Double throwingBusy = r.jmh().get("BusyLockBenchmark.bareFailedTryThrowing");
        if (busy != null && bareBusy != null && throwingBusy != null) {
            table.row("`tryAcquire` that finds the lock held by another process", nanos(busy),
                    nanos(bareBusy) + " bare failed `flock(LOCK_EX|LOCK_NB)`", ratio(busy / bareBusy), "report", "-");
            table.row("the same, against the failed try through JNA's throwing binding (the registry's before this"
                    + " run)", nanos(busy), nanos(throwingBusy) + " bare failed try, `LastErrorException` thrown",
                    ratio(busy / throwingBusy), "report", "-");
        }
        Double fairAlone = r.jmh().get("ContendedLockBenchmark.fairLockAlone");
        if (handOffs != null && fairAlone != null) {
            table.row("8 threads, 1 name, 1 JVM: hand-offs per second", perSecond(handOffs),
                    perSecond(fairAlone) + " fair `ReentrantLock` alone (no `flock`)", ratio(handOffs / fairAlone),
                    ">= 0.5x", verdict(handOffs / fairAlone >= 0.5));
        }
        Double fair = r.jmh().get("ContendedLockBenchmark.fairLockPlusFlock");
        if (handOffs != null && fair != null) {
            table.row("the same, against a fair `ReentrantLock` + bare `flock` per hand-off", perSecond(handOffs),
                    perSecond(fair) + " fair `ReentrantLock` + bare `flock`", ratio(handOffs / fair), "report", "-");
        }
        Double checking = r.jmh().get("ContendedLockBenchmark.fairLockPlusFileCalls");
        if (handOffs != null && checking != null) {
            table.row("the same, against the floor of a fair lock that keeps the kernel lock between holders but checks"
                    + " its file and names each holder", perSecond(handOffs), perSecond(checking) + " fair"
                    + " `ReentrantLock` + `statx` of the path + `pwrite` of a record + `statx`, no `flock`",
                    ratio(handOffs / checking), "report", "-");
        }
        Double annotated = r.jmh().get("SpringFileLockedBenchmark.fileLockedCall");
        Double direct = r.jmh().get("SpringFileLockedBenchmark.directAcquireClose");
        if (annotated != null && direct != null) {
            table.row("uncontended `@FileLocked` call through the Spring proxy", nanos(annotated),
                    nanos(direct) + " direct `acquire`+`close`, same registry", ratio(annotated / direct), "<= 2x",
                    verdict(annotated / direct <= 2));
        }
        Double metricsOn = r.jmh().get("MetricsOverheadBenchmark.metricsOn");
        Double metricsOff = r.jmh().get("MetricsOverheadBenchmark.metricsOff");
        if (metricsOn != null && metricsOff != null) {
            table.row("uncontended `@FileLocked` call, Micrometer on: meters + observations as timers"
                    + " (actuator's handler)", nanos(metricsOn),
                    nanos(metricsOff) + " same call, no Micrometer in the context", ratio(metricsOn / metricsOff),
                    "<= 1.5x", verdict(metricsOn / metricsOff <= 1.5));
        }
        Double metersOnly = r.jmh().get("MetricsOverheadBenchmark.metersOnlyObservationsOff");
        if (metersOnly != null && metricsOff != null) {
            table.row("the same, meters only (`filelock.observations.enabled=false`)", nanos(metersOnly),
                    nanos(metricsOff) + " same call, no Micrometer in the context", ratio(metersOnly / metricsOff),
                    "<= 1.5x", verdict(metersOnly / metricsOff <= 1.5));
        }
        Double shared = r.jmh().get("ContendedLockBenchmark.registrySharedRead");
        Double sharedFloor = r.jmh().get("ContendedLockBenchmark.readLockPlusSharedFlock");
        if (shared != null && handOffs != null) {
            table.row("8 reader threads, 1 name: `acquireShared`+`close` per second", perSecond(shared),
                    perSecond(handOffs) + " exclusive `acquire`, same 8 threads and name", ratio(shared / handOffs),
                    "report", "-");
        }
        if (shared != null && sharedFloor != null) {
            table.row("8 reader threads, 1 name: against a bare read lock", perSecond(shared),
                    perSecond(sharedFloor) + " `ReentrantReadWriteLock` read + bare `flock(LOCK_SH)`",
                    ratio(shared / sharedFloor), "report", "-");
        }
        LatencyStats java = r.javaHandOff();
        double medianRatio = (double) java.medianNanos() / r.bareFlockHandOff().medianNanos();
        table.row("cross-process hand-off, median", micros(java.medianNanos()),
                baseline(r, LatencyStats::medianNanos), ratio(medianRatio),
                "<= 2x", verdict(medianRatio <= TARGET_HANDOFF_MEDIAN));
        double p99Ratio = (double) java.p99Nanos() / r.bareFlockHandOff().p99Nanos();
        table.row("cross-process hand-off, p99", micros(java.p99Nanos()),
                baseline(r, LatencyStats::p99Nanos), ratio(p99Ratio),
                "<= 5x", verdict(p99Ratio <= TARGET_HANDOFF_P99));
        LatencyStats checked = r.checkedFlockHandOff();
        table.row("the same, against the floor with the file check and the holder record, median",
                micros(java.medianNanos()), micros(checked.medianNanos()) + " bare blocking `flock` + `statx` of the"
                        + " path + `pwrite` of a record + `statx`, 2 JVMs",
                ratio((double) java.medianNanos() / checked.medianNanos()), "report", "-");
        LatencyStats helperWaits = r.javaHelperHandOff();
        table.row("the same, against the registry with its waits in a helper thread (`callerWaits=false`), median",
                micros(java.medianNanos()), micros(helperWaits.medianNanos()) + " same harness, helper-thread waits",
                ratio((double) java.medianNanos() / helperWaits.medianNanos()), "report", "-");
        table.row("the same, p99", micros(java.p99Nanos()), micros(helperWaits.p99Nanos())
                + " same harness, helper-thread waits", ratio((double) java.p99Nanos() / helperWaits.p99Nanos()),
                "report", "-");
        LatencyStats alternation = r.alternation();
        LatencyStats bareAlternation = r.bareAlternation();
        String bareMedian = bareAlternation == null ? NO_SAMPLE : micros(bareAlternation.medianNanos())
                + " bare blocking `flock`, same loop";
        if (alternation != null) {
            table.row(ALTERNATION_MEDIAN, micros(alternation.medianNanos()), bareMedian, bareAlternation == null ? NA
                            : ratio((double) alternation.medianNanos() / bareAlternation.medianNanos()), "<= 100 us",
                    verdict(alternation.medianNanos() <= TARGET_ALTERNATION_MEDIAN));
            String bareP99 = bareAlternation == null ? NO_SAMPLE : micros(bareAlternation.p99Nanos())
                    + " bare blocking `flock`, same loop";
            table.row("cross-process alternation, p99", micros(alternation.p99Nanos()), bareP99,
                    bareAlternation == null ? NA : ratio((double) alternation.p99Nanos() / bareAlternation.p99Nanos()),
                    "report", "-");
        } else { // a registry run with no sample is a result too, and the row must not vanish with it
            table.row(ALTERNATION_MEDIAN, "no release met the other JVM waiting (no sample)", bareMedian, NA,
                    "<= 100 us", verdict(false));
        }
        LatencyStats soft = r.softHandOff();
        table.row("cross-process hand-off, `LockType.SOFT`, median", micros(soft.medianNanos()),
                micros(java.medianNanos()) + " flock registry, same harness",
                ratio((double) soft.medianNanos() / java.medianNanos()), "report", "-");
        table.row("cross-process hand-off, `LockType.SOFT`, p99", micros(soft.p99Nanos()),
                micros(java.p99Nanos()) + " flock registry, same harness",
                ratio((double) soft.p99Nanos() / java.p99Nanos()), "report", "-");
        postgresTargets(r, table);
        contentionTargets(r, table);
        return table;
    }

    private static void contentionTargets(SuiteResults r, MarkdownTable table) {
        ContentionResult jc = r.javaContention().first();
        ContentionResult pc = r.pythonContention() == null ? null : r.pythonContention().first();
        table.row("contention " + contentionShape(r.settings()) + ": final count", Long.toString(jc.finalCount()),
                pc == null ? NA : pc.finalCount() + " (python, 50 ms poll)", NA, "exactly " + jc.expectedCount(),
                verdict(jc.exact()));
        if (pc != null) {
            double total = (double) jc.totalNanos() / pc.totalNanos();
            table.row("contention: total time", seconds(jc.totalNanos()),
                    seconds(pc.totalNanos()) + " (python, 50 ms poll)", ratio(total), "<= 1x", verdict(total <= 1));
        }
        table.row("contention: longest single wait (fairness)", micros(jc.waits().maxNanos()),
                pc == null ? NA : micros(pc.waits().maxNanos()) + " (python, 50 ms poll)",
                pc == null ? NA : ratio((double) jc.waits().maxNanos() / pc.waits().maxNanos()), "<= 50 ms",
                verdict(jc.waits().maxNanos() <= TARGET_LONGEST_WAIT));
        ContentionResult fairBare = r.fairBareContention().first();
        table.row("contention: longest single wait after each thread's first "
                + ContentionHarness.WARM_UP_ACQUISITIONS + " acquisitions (the new JVMs' warm-up left out)",
                micros(jc.longestAfterWarmUpNanos()), micros(fairBare.longestAfterWarmUpNanos())
                + " fair `ReentrantLock` + bare `flock`, the same", ratio((double) jc.longestAfterWarmUpNanos()
                / fairBare.longestAfterWarmUpNanos()), "report", "-");
        table.row("contention: total time, against the floor of a lock first come, first served inside each JVM",
                seconds(jc.totalNanos()), seconds(fairBare.totalNanos()) + " fair `ReentrantLock` + bare `flock`",
                ratio((double) jc.totalNanos() / fairBare.totalNanos()), "report", "-");
        ContentionResult checked = r.checkedContention().first();
        table.row("contention: total time, against the same floor with the file calls of each new holder",
                seconds(jc.totalNanos()), seconds(checked.totalNanos()) + " fair `ReentrantLock` + bare `flock` +"
                + " `statx` of the path + `pwrite` of a record + `statx`", ratio((double) jc.totalNanos()
                / checked.totalNanos()), "report", "-");
        ContentionResult noCohort = r.noCohortContention().first();
        table.row("contention: total time and median wait, against the registry without the cohort hand-off",
                seconds(jc.totalNanos()) + "; " + micros(jc.waits().medianNanos()), seconds(noCohort.totalNanos())
                + "; " + micros(noCohort.waits().medianNanos()) + " `-Dfilelock.cohortHandOff=false`",
                ratio((double) jc.totalNanos() / noCohort.totalNanos()), "report", "-");
        ContentionResult kernel = r.bareContention().first();
        table.row("contention: total time and longest wait of the kernel alone", seconds(jc.totalNanos()) + "; "
                + micros(jc.waits().maxNanos()), seconds(kernel.totalNanos()) + "; " + micros(kernel.waits().maxNanos())
                + " bare blocking `flock`, a descriptor per thread", ratio((double) jc.totalNanos()
                / kernel.totalNanos()), "report", "-");
        warmContentionRows(r, table);
    }

    // The second round, in the same processes: what a long-lived service sees, once its JIT has compiled the path.
    private static void warmContentionRows(SuiteResults r, MarkdownTable table) {
        ContentionResult jw = r.javaContention().second();
        if (r.pythonContention() != null) {
            ContentionResult pw = r.pythonContention().second();
            table.row("contention, second round in the same processes (warm): total time", seconds(jw.totalNanos()),
                    seconds(pw.totalNanos()) + " (python, 50 ms poll, its second round)",
                    ratio((double) jw.totalNanos() / pw.totalNanos()), "report", "-");
        }
        warmAgainst(table, "the fair floor with the file calls", jw, r.checkedContention().second(),
                "fair `ReentrantLock` + bare `flock` + file calls");
        warmAgainst(table, "the registry without the cohort hand-off", jw, r.noCohortContention().second(),
                "`-Dfilelock.cohortHandOff=false`");
    }

    // One second-round row: the registry's total and longest wait against another column's second round.
    private static void warmAgainst(MarkdownTable table, String against, ContentionResult registry,
            ContentionResult other, String otherName) {
        table.row("contention, second round: total time and longest wait, against " + against,
                seconds(registry.totalNanos()) + "; " + micros(registry.waits().maxNanos()),
                seconds(other.totalNanos()) + "; " + micros(other.waits().maxNanos()) + " " + otherName
                + ", its second round", ratio((double) registry.totalNanos() / other.totalNanos()), "report", "-");
    }

    private static void postgresTargets(SuiteResults r, MarkdownTable table) {
        Double acquire = r.jmh().get("PostgresLockBenchmark.registryAcquireClose");
        Double bare = r.jmh().get("PostgresLockBenchmark.bareAdvisoryPair");
        if (acquire != null && bare != null) {
            table.row("uncontended `acquire`+`close` on `postgres`, 1 thread, 1 name", nanos(acquire),
                    nanos(bare) + " bare `pg_advisory_lock`+`pg_advisory_unlock` on one connection",
                    ratio(acquire / bare), "<= 1.5x", verdict(acquire / bare <= 1.5));
        }
        PostgresHandOffs pg = r.postgres();
        if (pg == null || pg.registry() == null) {
            return;
        }
        long registry = pg.registry().medianNanos();
        table.row("across hosts: `postgres` hand-off, 2 JVMs, median", micros(registry),
                micros(pg.bare().medianNanos()) + " bare `pg_advisory_lock`, 2 JVMs",
                ratio((double) registry / pg.bare().medianNanos()), "<= 2 ms",
                verdict(registry <= TARGET_POSTGRES_HANDOFF_MEDIAN));
        double againstJdbc = (double) registry / pg.jdbcLockRegistry().medianNanos();
        table.row("`postgres` hand-off, median, against Spring Integration's `JdbcLockRegistry`", micros(registry),
                micros(pg.jdbcLockRegistry().medianNanos()) + " `JdbcLockRegistry` (polls every 100 ms), 2 JVMs",
                ratio(againstJdbc), "<= 0.05x (20x better)", verdict(againstJdbc <= 0.05));
    }

    // ratio is against the kernel floor; python's polling figure is shown for the comparison users know
    private static String baseline(SuiteResults r, Function<LatencyStats, Long> figure) {
        String bare = micros(figure.apply(r.bareFlockHandOff())) + " bare blocking `flock`, 2 JVMs";
        LatencyStats python = r.pythonHandOffDefaultPoll();
        return python == null ? bare : bare + "; " + micros(figure.apply(python)) + " python3 poll 50 ms";
    }

    private static MarkdownTable handOffs(SuiteResults r) {
        MarkdownTable table = new MarkdownTable("", "filelock, 2 JVMs",
                "filelock, waits in a helper thread (`callerWaits=false`)", "filelock `SOFT`, 2 JVMs",
                "bare blocking `flock(2)`, 2 JVMs (kernel floor)",
                "bare blocking `flock(2)` + path check + holder record, 2 JVMs",
                "bare `flock(2)` in a helper thread, caller waits on a future",
                "python3 flock poll 50 ms (filelock default)",
                "python3 flock poll 1 ms");
        LatencyStats[] columns = {r.javaHandOff(), r.javaHelperHandOff(), r.softHandOff(), r.bareFlockHandOff(),
            r.checkedFlockHandOff(), r.helperFlockHandOff(),
            r.pythonHandOffDefaultPoll(), r.pythonHandOffFastPoll()};
        table.row(cells("hand-offs measured", columns, s -> Integer.toString(s.count())));
        table.row(cells("median", columns, s -> micros(s.medianNanos())));
        table.row(cells("p99", columns, s -> micros(s.p99Nanos())));
        table.row(cells("max", columns, s -> micros(s.maxNanos())));
        Map<String, InTurn> pairs = r.handOffPairs();
        table.row("median of each pair of JVMs, in the order they ran", pairMedians(pairs, "registry"), "-", "-",
                pairMedians(pairs, "bare"), pairMedians(pairs, "bare-checked"), "-", "-", "-");
        return table;
    }

    private static String pairMedians(Map<String, InTurn> pairs, String lock) {
        InTurn turns = pairs.get(lock);
        return turns == null ? "-" : turns.pairMedians();
    }

    private static MarkdownTable alternation(SuiteResults r) {
        MarkdownTable table = new MarkdownTable("", "filelock, 2 JVMs", "bare blocking `flock(2)`, 2 JVMs");
        LatencyStats[] columns = {r.alternation(), r.bareAlternation()};
        table.row(cells("releases met by a waiting peer", columns, s -> Integer.toString(s.count())));
        table.row(cells("median, release to the other's acquire", columns, s -> micros(s.medianNanos())));
        table.row(cells("p99", columns, s -> micros(s.p99Nanos())));
        table.row(cells("max", columns, s -> micros(s.maxNanos())));
        table.row(ALTERNATION_PAIRS, r.alternationPairs().pairMedians(), r.bareAlternationPairs().pairMedians());
        return table;
    }

    // one row: the label, then the figure of each column, "n/a" where a baseline did not run
    private static <T> String[] cells(String label, T[] columns, Function<T, String> figure) {
        String[] cells = new String[columns.length + 1];
        cells[0] = label;
        for (int i = 0; i < columns.length; i++) {
            cells[i + 1] = columns[i] == null ? NA : figure.apply(columns[i]);
        }
        return cells;
    }

    private static MarkdownTable postgres(PostgresHandOffs pg) {
        MarkdownTable table = new MarkdownTable("", "filelock `postgres`, 2 JVMs",
                "bare `pg_advisory_lock`, 2 JVMs (server floor)", "Spring Integration `JdbcLockRegistry`, 2 JVMs");
        LatencyStats[] columns = {pg.registry(), pg.bare(), pg.jdbcLockRegistry()};
        table.row(cells("hand-offs measured", columns, s -> Integer.toString(s.count())));
        table.row(cells("median", columns, s -> micros(s.medianNanos())));
        table.row(cells("p99", columns, s -> micros(s.p99Nanos())));
        table.row(cells("max", columns, s -> micros(s.maxNanos())));
        return table;
    }

    private static MarkdownTable contention(SuiteResults r, Function<ContentionRounds, ContentionResult> round) {
        MarkdownTable table = new MarkdownTable("", "filelock JVMs",
                "filelock JVMs, `-Dfilelock.cohortHandOff=false` (every release lets go of the kernel lock)",
                "fair `ReentrantLock` + bare blocking `flock` in each JVM (first come, first served inside a JVM)",
                "the same + the file calls of each new holder (`statx` of the path, `pwrite` of a record, `statx`)",
                "bare blocking `flock`, a descriptor per thread (the kernel alone: no queue)",
                "python3 processes, flock poll 50 ms");
        ContentionResult[] columns = {round.apply(r.javaContention()), round.apply(r.noCohortContention()),
            round.apply(r.fairBareContention()), round.apply(r.checkedContention()), round.apply(r.bareContention()),
            r.pythonContention() == null ? null : round.apply(r.pythonContention())};
        table.row(cells("final count (expected " + columns[0].expectedCount() + ")", columns,
                c -> c.finalCount() + (c.exact() ? " (exact)" : " (**WRONG**)")));
        table.row(cells("total time", columns, c -> seconds(c.totalNanos())));
        table.row(cells("median wait", columns, c -> micros(c.waits().medianNanos())));
        table.row(cells("p99 wait", columns, c -> micros(c.waits().p99Nanos())));
        table.row(cells("longest single wait", columns, c -> micros(c.waits().maxNanos())));
        table.row(cells("longest wait after each thread's first " + ContentionHarness.WARM_UP_ACQUISITIONS, columns,
                c -> micros(c.longestAfterWarmUpNanos())));
        table.row(cells("holdings that began before the one before them ended (must be 0)", columns,
                c -> Integer.toString(c.gaps().overlaps())));
        table.row(cells("time holders worked under the lock (sum)", columns, c -> seconds(c.gaps().heldTotalNanos())));
        table.row(cells("hand-offs to a thread of the same process: count, median, sum", columns,
                c -> handOffs(c.gaps().sameProcessCount(), c.gaps().sameProcessMedianNanos(),
                        c.gaps().sameProcessTotalNanos())));
        table.row(cells("hand-offs to another process: count, median, sum", columns,
                c -> handOffs(c.gaps().otherProcessCount(), c.gaps().otherProcessMedianNanos(),
                        c.gaps().otherProcessTotalNanos())));
        table.row(cells("JIT compilation during the run, summed over the JVMs", columns,
                c -> c.compileMillis() < 0 ? NA : String.format(Locale.ROOT, "%.2f s", c.compileMillis() / 1000.0)));
        return table;
    }

    private static String handOffs(int count, long medianNanos, long totalNanos) {
        return String.format(Locale.ROOT, "%,d; %s; %s", count, micros(medianNanos), seconds(totalNanos));
    }

    private static MarkdownTable names(SuiteResults r) {
        NamesResult keep = r.namesKeep();
        NamesResult delete = r.namesDelete();
        return new MarkdownTable("", "keep lock files (default)", "`deleteIdleLockFiles(true)`")
                .row("distinct names", String.format(Locale.ROOT, "%,d", keep.count()),
                        String.format(Locale.ROOT, "%,d", delete.count()))
                .row("time per name (acquire + close)", micro(keep.microsPerName()), micro(delete.microsPerName()))
                .row("peak open descriptors of the process (before the run)", keep.peakFds() + " (" + keep.fdsBefore()
                        + ")", delete.peakFds() + " (" + delete.fdsBefore() + ")")
                .row("retained heap after GC, registry still open (growth over the run)",
                        Figures.mebibytes(keep.heapAfterBytes()) + " ("
                                + signedMebibytes(keep.retainedHeapBytes()) + ")",
                        Figures.mebibytes(delete.heapAfterBytes()) + " ("
                                + signedMebibytes(delete.retainedHeapBytes()) + ")")
                .row("files left in the lock directory", String.format(Locale.ROOT, "%,d", keep.filesLeft()),
                        String.format(Locale.ROOT, "%,d", delete.filesLeft()));
    }

    private static String micro(double micros) {
        return String.format(Locale.ROOT, "%.1f us", micros);
    }

    private static String signedMebibytes(long bytes) {
        return (bytes >= 0 ? "+" : "-") + Figures.mebibytes(Math.abs(bytes));
    }

    private static String contentionShape(SuiteSettings s) {
        return s.processes() + " processes x " + s.threads() + " threads x " + s.increments();
    }

    private static String pairs(int turns) {
        return turns == 1 ? "one pair of JVMs" : turns + " pairs of JVMs";
    }

    private static String settings(SuiteResults r) {
        SuiteSettings s = r.settings();
        return String.join("\n",
                "- JMH 1.37, one run: 1 fork, 3 warm-up x 1 s, 5 measurements x 1 s per benchmark;"
                        + " uncontended in average time, contended with `@Threads(8)` in throughput.",
                "- hand-off: " + s.handOffs() + " hand-offs after " + s.handOffWarmUp()
                        + " warm-up (python 50 ms poll: "
                        + s.slowPollHandOffs() + " after 20); the holder keeps the lock " + s.holdMicros() + " to "
                        + 2 * s.holdMicros() + " us (at random) after the waiter signals it is about to wait. Sample ="
                        + " acquire return minus the"
                        + " release stamp, both `CLOCK_MONOTONIC`. The registry, bare `flock` and bare `flock` with the"
                        + " file calls ran as " + pairs(s.handOffTurns()) + " each, in turn, each pair measuring its"
                        + " share of the hand-offs after the full warm-up, and each lock's samples pooled (each pair's"
                        + " median in the table): with one pair per lock, a lock's median moved by up to three quarters"
                        + " from pair to pair.",
                "- alternation: " + s.alternations() + " acquisitions per JVM, no pause between them, "
                        + pairs(s.handOffTurns()) + " per lock, in turn, samples pooled; a sample"
                        + " per release made while the other JVM had said it was about to wait: the other JVM's next"
                        + " acquisition minus the release stamp (the first "
                        + HandOffHarness.alternationWarmUp(s.alternations()) + " per JVM dropped as warm-up).",
                "- python baselines: python3 standard library, `open` + `flock(LOCK_EX|LOCK_NB)` + close and sleep"
                        + " on failure, as Python filelock's `UnixFileLock` does.",
                "- child JVMs: " + (s.quickStart() ? "C1 only (quickStart=true)" : "full JIT")
                        + ", -Xshare:auto; names run with -Xmx"
                        + s.namesHeap() + ".",
                "- whole suite took " + seconds(r.elapsedNanos()) + ".") + "\n";
    }
}
