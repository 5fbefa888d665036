#!/usr/bin/env bash
# The demo: builds what it needs, starts a real Prosody, four simulated bridges in two regions, the focus daemon
# (the real process, bin/focus, with the sample config) and a stream of simulated conferences. Shows live which
# conference is on which bridge (a refreshing table read from the daemon's REST API), crashes the busiest bridge
# half-way and shows the conferences moving and the time it took; prints a summary. Non-interactive, ends by itself
# (DEMO_SECONDS, default 60); everything it started is stopped at the end, also on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh

DEMO_SECONDS="${DEMO_SECONDS:-60}"
LOG="$(mktemp -t focus-demo-build.XXXXXX.log)"
echo "Building the focus and the simulator (log: $LOG) ..."
mvn -B -ntp -q -Pbench -DskipTests -pl focus-bench -am package dependency:build-classpath \
  -Dmdep.includeScope=runtime -Dmdep.outputFile="$PWD/focus-bench/target/demo-classpath.txt" >>"$LOG" 2>&1 \
  || { tail -40 "$LOG"; exit 1; }
CP="focus-bench/target/classes:$(cat focus-bench/target/demo-classpath.txt)"

pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true   # the demo's shutdown hook stops the focus, the bridges and Prosody
    wait "$pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'echo; echo "interrupted"; exit 130' INT TERM

TTY=false
[ -t 1 ] && TTY=true   # a terminal: the table is redrawn in place; otherwise it is printed every few seconds
java -Xmx512m -Dlogback.configurationFile="$PWD/focus-bench/src/main/resources/logback.xml" -Dfocus.demo.tty="$TTY" \
  -cp "$CP" io.focus.bench.e2e.Demo --checkout "$PWD" --duration "$DEMO_SECONDS" </dev/null 2>>"$LOG" &
pid=$!
set +e
wait "$pid"
rc=$?
set -e
pid=""
echo "(simulator warnings, if any: $LOG)"
exit $rc
