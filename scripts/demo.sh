#!/usr/bin/env bash
# The demo at this stage: a real Prosody plus three simulated bridges in two regions, watched live from an
# observer client in the brewery. Half-way one bridge's stress goes up and another one crashes. Everything it
# starts is stopped at the end (also on Ctrl-C). Non-interactive; ends by itself (DEMO_SECONDS, default 30).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-deps.sh

DEMO_SECONDS="${DEMO_SECONDS:-30}"
LOG="$(mktemp -t focus-demo.XXXXXX.log)"
echo "Building focus-sim (log: $LOG) ..."
mvn -B -ntp -q -DskipTests -pl focus-sim -am install >>"$LOG" 2>&1 || { tail -40 "$LOG"; exit 1; }
mvn -B -ntp -q -pl focus-sim dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=target/classpath.txt >>"$LOG" 2>&1 \
  || { tail -40 "$LOG"; exit 1; }
CP="focus-sim/target/classes:$(cat focus-sim/target/classpath.txt)"

pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true   # the JVM's shutdown hooks stop the bridges and Prosody
    wait "$pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'echo; echo "interrupted"; exit 130' INT TERM

java -cp "$CP" io.focus.sim.SimMain demo --duration "$DEMO_SECONDS" </dev/null 2>>"$LOG" &
pid=$!
wait "$pid"
rc=$?
pid=""
echo "(Smack and Prosody-side warnings, if any: $LOG)"
exit $rc
