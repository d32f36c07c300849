#!/usr/bin/env bash
# Runs every filelock benchmark in one go and prints one markdown table of figures against baselines
# measured in the same run (JMH, cross-process hand-off, alternation and contention with python3 baselines,
# distinct names). 5 to 15 minutes on 2 cores, by load. Usage, from anywhere:
#
#   bash filelock-benchmarks/run-benchmarks.sh [key=value ...]
#
# Keys (defaults): jmh=true handoffs=2000 handoffWarmup=3000 handoffTurns=3 holdMicros=500 slowPollHandoffs=400
# processes=4 threads=4 increments=500 names=1000000 namesDeleting=200000 namesHeap=512m quickStart=false
# alternations=150000. handoffTurns: how many pairs of JVMs each lock of the hand-off and alternation target rows
# runs as, in turn with the other locks' pairs (at least 1).
# Lock files go under filelock-benchmarks/target/filelock-bench (must be a disk-backed file system, not
# tmpfs; the report names it) and are deleted afterwards. Needs python3 for the baselines (skipped without).
# The report is also written to filelock-benchmarks/target/benchmark-report.md, JMH's JSON next to it.
set -euo pipefail
module="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$(dirname "$module")"
# The Kotlin compiler runs inside Maven: a Kotlin daemon left running would take CPU from the measurements.
mvn -B -q -pl filelock-benchmarks -am package -DskipTests -Dkotlin.compiler.daemon=false
exec java -Xmx256m -Dfilelock.bench.dir="$module/target" \
  -cp "$module/target/classes:$(cat "$module/target/benchmark-classpath.txt")" \
  io.github.filelock.benchmarks.BenchmarkSuite report="$module/target/benchmark-report.md" "$@"
