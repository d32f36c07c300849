package io.github.filelock.benchmarks;

import java.util.HashMap;
import java.util.Map;

/**
 * The suite's sizes, from {@code key=value} arguments. Defaults are the documented full run; the smoke
 * test and quick local runs pass smaller ones.
 */
public record SuiteSettings(boolean jmh, boolean quickStart, int handOffs, int handOffWarmUp, int handOffTurns,
        int holdMicros, int slowPollHandOffs,
        int processes, int threads, int increments, int names, int namesDeleting, String namesHeap,
        String report, String postgres, int postgresHandOffs, int jdbcRegistryHandOffs, int alternations) {

    private static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("jmh", "true"),
            Map.entry("quickStart", "false"),
            Map.entry("handoffs", "2000"),
            // 3000, not 500: the JIT log showed the registry's path still compiling through 2000 measured hand-offs
            // after 500, which put compilations into the p99 (docs/benchmarks.md, issue 16 step 8)
            Map.entry("handoffWarmup", "3000"),
            // the hand-off's registry, bare flock and checked floor, and the alternation's registry and bare flock,
            // each run as 3 pairs of JVMs, in turn, samples pooled
            Map.entry("handoffTurns", "3"),
            Map.entry("holdMicros", "500"),
            Map.entry("slowPollHandoffs", "400"),
            Map.entry("processes", "4"),
            Map.entry("threads", "4"),
            Map.entry("increments", "500"),
            Map.entry("names", "1000000"),
            // ext4 slows file creation after mass deletion (see docs/benchmarks.md): 1M would take ~10 minutes
            Map.entry("namesDeleting", "200000"),
            Map.entry("namesHeap", "512m"),
            Map.entry("report", "target/benchmark-report.md"),
            // auto: measure the PostgreSQL hand-offs when FILELOCK_TEST_POSTGRES_URL names a server; true: require one
            Map.entry("postgres", "auto"),
            Map.entry("postgresHandoffs", "1000"),
            // JdbcLockRegistry polls every 100 ms, so each of its hand-offs takes about 50 ms
            Map.entry("jdbcRegistryHandoffs", "200"),
            // acquisitions per JVM of the alternation run (both JVMs loop on acquire + release of one name), the
            // first acquisitions/12 samples of each JVM dropped. 150000, not 3000: 3000 took about 40 ms, in JVMs
            // whose JIT compilers still held the CPUs, and the registry's figure was its warm-up (1.15 to 1.92 ms;
            // 72 to 80 us at 150000)
            Map.entry("alternations", "150000"));

    public static SuiteSettings parse(String... args) {
        Map<String, String> values = new HashMap<>(DEFAULTS);
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String key = eq < 0 ? arg : arg.substring(0, eq);
            if (eq < 0 || !DEFAULTS.containsKey(key)) {
                throw new IllegalArgumentException("Unknown argument '" + arg + "': use key=value with a key from "
                        + DEFAULTS.keySet());
            }
            values.put(key, arg.substring(eq + 1));
        }
        return new SuiteSettings(Boolean.parseBoolean(values.get("jmh")),
                Boolean.parseBoolean(values.get("quickStart")), num(values, "handoffs"),
                num(values, "handoffWarmup"), atLeastOne(values, "handoffTurns"), num(values, "holdMicros"),
                num(values, "slowPollHandoffs"),
                num(values, "processes"), num(values, "threads"), num(values, "increments"), num(values, "names"),
                num(values, "namesDeleting"), values.get("namesHeap"), values.get("report"),
                choice(values, "postgres", "auto", "true", "false"), num(values, "postgresHandoffs"),
                num(values, "jdbcRegistryHandoffs"), num(values, "alternations"));
    }

    private static String choice(Map<String, String> values, String key, String... allowed) {
        String value = values.get(key);
        for (String candidate : allowed) {
            if (candidate.equals(value)) {
                return value;
            }
        }
        throw new IllegalArgumentException(key + " must be one of " + String.join(", ", allowed)
                + ", was '" + value + "'");
    }

    /** Whether to run the PostgreSQL hand-offs: always when asked, else when a server is named. */
    public boolean runPostgres() {
        if (postgres.equals("auto")) {
            String url = System.getProperty("filelock.test.postgres.url", System.getenv("FILELOCK_TEST_POSTGRES_URL"));
            return url != null && !url.isBlank();
        }
        return Boolean.parseBoolean(postgres);
    }

    // Checked here, before JMH's ten minutes, not when the hand-offs start.
    private static int atLeastOne(Map<String, String> values, String key) {
        int value = num(values, key);
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, was " + value);
        }
        return value;
    }

    private static int num(Map<String, String> values, String key) {
        try {
            return Integer.parseInt(values.get(key).replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, was '" + values.get(key) + "'", e);
        }
    }
}
