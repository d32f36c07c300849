package io.github.filelock.benchmarks.jmh;

import io.github.filelock.benchmarks.BenchDirs;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the JMH benchmarks of this module in one JMH run (settings from their annotations: 1 fork, 3 x 1 s
 * warm-up, 5 x 1 s measurement), writes JMH's JSON, and returns the primary score of each benchmark method
 * by its simple name ({@code Class.method}).
 */
public final class JmhRun {

    private JmhRun() {
    }

    public static Map<String, Double> run(List<Class<?>> benchmarks, Path json) throws RunnerException {
        OptionsBuilder options = new OptionsBuilder();
        benchmarks.forEach(b -> options.include("\\." + b.getSimpleName() + "\\."));
        options.jvmArgsAppend("-D" + BenchDirs.PROPERTY + "=" + BenchDirs.base().getParent())
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString());
        Collection<RunResult> results = new Runner(options.build()).run();
        Map<String, Double> scores = new HashMap<>();
        for (RunResult result : results) {
            String full = result.getParams().getBenchmark();
            String[] parts = full.split("\\.");
            scores.put(parts[parts.length - 2] + "." + parts[parts.length - 1], result.getPrimaryResult().getScore());
        }
        return scores;
    }
}
