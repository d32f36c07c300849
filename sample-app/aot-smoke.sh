#!/usr/bin/env bash
# AOT smoke test: builds sample-app with Spring AOT (mvn -Paot, the processing a native build does) and runs it on
# the JVM in AOT mode (-Dspring.aot.enabled=true), then checks over HTTP that @FileLocked still locks: a keyed lock,
# /actuator/locks, and flock(1) excluded while a method holds its lock. No GraalVM needed. Takes about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
app_pid=""
finish() {
  local status=$?
  if [ -n "$app_pid" ]; then
    kill "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ] && [ -f "$work/app.log" ]; then
    echo "--- sample-app log"; cat "$work/app.log"
  fi
  rm -rf "$work"
  # The AOT classes stay out of later non-AOT builds and tests of sample-app.
  mvn -B -q -pl sample-app clean >/dev/null 2>&1 || true
  exit "$status"
}
trap finish EXIT

fail() {
  echo "aot-smoke: FAILED: $*" >&2
  exit 1
}

# One HTTP/1.0 request through bash's /dev/tcp (no curl needed); prints the response, headers included.
http() {
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf '%s %s HTTP/1.0\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n' "$1" "$2" >&3
  cat <&3
  exec 3<&-
}

echo "aot-smoke: building sample-app with -Paot"
# process-aot starts the app to generate its code; its output is shown only when the build fails.
mvn -B -q -Paot -pl sample-app -am package -Dmaven.test.skip=true >"$work/build.log" 2>&1 \
  || { cat "$work/build.log"; fail "mvn -Paot package"; }
metadata=sample-app/target/spring-aot/main/resources/META-INF/native-image/io.github.filelock/sample-app/reachability-metadata.json
grep -q 'LockKeyRoot' "$metadata" || fail "the generated $metadata has no hints from FileLockRuntimeHints"
jar=$(ls sample-app/target/sample-app-*.jar | grep -v original | head -1)

# Its own lock and data directories, a free port, no scheduled sync: nothing shared with other runs.
java -Dspring.aot.enabled=true -jar "$jar" --server.port=0 --filelock.dir="$work/locks" \
  --sample.data-dir="$work/data" --sample.embeddings-build-time=4s --sample.reindex-time=10ms \
  --sample.sync-cron=- >"$work/app.log" 2>&1 &
app_pid=$!

port=""
for _ in $(seq 1 120); do
  port=$(sed -n 's/.*Tomcat started on port \([0-9]*\).*/\1/p' "$work/app.log" | head -1)
  [ -n "$port" ] && break
  kill -0 "$app_pid" 2>/dev/null || fail "the app exited during start-up"
  sleep 0.5
done
[ -n "$port" ] || fail "the app did not start within 60 s"
grep -q 'Starting AOT-processed SampleApplication' "$work/app.log" || fail "the app did not start in AOT mode"
echo "aot-smoke: AOT-processed app pid $app_pid on port $port"

answer=$(http POST /docs/42/reindex)
echo "$answer" | grep -q '"lock":"doc:42"' || fail "POST /docs/42/reindex: $answer"
echo "$answer" | grep -q "\"pid\":$app_pid" || fail "POST /docs/42/reindex answered for another pid: $answer"

# A 4 s embeddings build holds "embeddings"; while it runs, /actuator/locks lists it and flock(1) is kept out.
http POST /embeddings/rebuild >"$work/rebuild.out" &
rebuild=$!
held=""
for _ in $(seq 1 40); do
  held=$(http GET /actuator/locks)
  echo "$held" | grep -q '"key":"embeddings"' && break
  sleep 0.1
done
echo "$held" | grep -q '"key":"embeddings"' || fail "/actuator/locks never listed the held lock: $held"
if flock -n "$work/locks/embeddings.lock" true; then
  fail "flock(1) got embeddings.lock while the app held it"
fi
wait "$rebuild"
grep -q '"action":"built"' "$work/rebuild.out" || fail "POST /embeddings/rebuild: $(cat "$work/rebuild.out")"
flock -n "$work/locks/embeddings.lock" true || fail "embeddings.lock still locked after the build returned"

echo "aot-smoke: OK (keyed lock, /actuator/locks and cross-process exclusion in the AOT-processed app)"
