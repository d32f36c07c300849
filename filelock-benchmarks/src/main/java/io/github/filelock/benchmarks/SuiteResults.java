package io.github.filelock.benchmarks;

import io.github.filelock.benchmarks.contention.ContentionRounds;
import io.github.filelock.benchmarks.handoff.InTurn;
import io.github.filelock.benchmarks.handoff.PostgresHandOffs;
import io.github.filelock.benchmarks.names.NamesResult;
import io.github.filelock.benchmarks.report.MachineInfo;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything one suite run measured. Python figures are null when python3 is missing; JMH scores are empty
 * when JMH was skipped; {@code postgres} is null when no PostgreSQL server was measured.
 * {@code softHandOff} is the registry with {@code LockType.SOFT}. {@code alternationPairs}: two JVMs looping on one
 * name, time from a release to the other JVM's acquire, each pair of JVMs and all pooled; {@code bareAlternationPairs}
 * the same with bare blocking {@code flock}. {@code handOffPairs}: the hand-off's locks that ran as pairs in turn
 * ({@code registry}, {@code bare}, {@code bare-checked}), whose pooled figures are {@code javaHandOff},
 * {@code bareFlockHandOff} and {@code checkedFlockHandOff}.
 * {@code javaHelperHandOff} is the registry with its waits in a helper thread
 * ({@code -Dfilelock.flock.callerWaits=false}), as before issue 16's waits in the caller's thread.
 * {@code checkedFlockHandOff}: bare blocking {@code flock} plus the registry's file calls after each wake-up (path
 * check, holder record), the floor of a flock lock that checks its file and names its holder.
 * {@code bareContention}: the contention run on bare blocking {@code flock}, a descriptor per thread (the kernel
 * alone); {@code fairBareContention}: a fair {@code ReentrantLock} around bare {@code flock} in each JVM;
 * {@code checkedContention}: the same plus the registry's file calls for each new holder;
 * {@code noCohortContention}: the registry with {@code -Dfilelock.cohortHandOff=false}. Each contention run has two
 * rounds in the same processes: the first cold, the second warm.
 */
public record SuiteResults(SuiteSettings settings, MachineInfo machine, Map<String, Double> jmh,
        LatencyStats javaHandOff, LatencyStats softHandOff, LatencyStats bareFlockHandOff,
        LatencyStats checkedFlockHandOff,
        LatencyStats helperFlockHandOff, LatencyStats javaHelperHandOff,
        LatencyStats pythonHandOffDefaultPoll, LatencyStats pythonHandOffFastPoll,
        ContentionRounds javaContention, @Nullable ContentionRounds pythonContention, ContentionRounds bareContention,
        ContentionRounds fairBareContention, ContentionRounds checkedContention,
        ContentionRounds noCohortContention, NamesResult namesKeep,
        NamesResult namesDelete, PostgresHandOffs postgres, InTurn alternationPairs, InTurn bareAlternationPairs,
        Map<String, InTurn> handOffPairs, long elapsedNanos) {

    /** The registry's alternation, all pairs pooled; null when no pair gave a sample. */
    public @Nullable LatencyStats alternation() {
        return alternationPairs.pooled();
    }

    /** As {@link #alternation()}, with bare blocking {@code flock}. */
    public @Nullable LatencyStats bareAlternation() {
        return bareAlternationPairs.pooled();
    }
}
