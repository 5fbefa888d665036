#!/usr/bin/env bash
# The soak benchmark of issue 13 (run by hand, not in CI): a real Prosody, simulated bridges, the focus daemon
# (bin/focus) and simulated calls; a seeded chaos loop crashes, hangs, health-flaps and gracefully shuts down bridges
# (sometimes two at once) for --minutes, then prints incomplete calls, moves, back-and-forth moves, placements onto
# faulted bridges, stranded participants, leaked endpoints (checked again every 1 s for up to --leak-wait-seconds
# while any are left), the focus's RSS / threads / file descriptors and its live heap after a full GC (jcmd).
# Options (all optional):
#   --minutes 10 --calls 200 --participants-per-call 3 --bridges 6 --seed N --aggressive
#   --settle-seconds 30 --sample-ms 200 --leak-wait-seconds 30
# e.g.  scripts/soak.sh --minutes 2 --calls 20 --aggressive
# SOAK_SKIP_BUILD=1 runs what was built last. SOAK_FOCUS_JAVA_OPTS is passed to the focus daemon's JVM (e.g. a JFR
# recording: SOAK_FOCUS_JAVA_OPTS='-XX:StartFlightRecording=filename=/tmp/focus.jfr').
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh

if [ "${SOAK_SKIP_BUILD:-}" != 1 ]; then
  LOG="$(mktemp -t focus-soak-build.XXXXXX.log)"
  echo "Building the focus and the benchmarks (log: $LOG) ..."
  # focus-bench with -am builds focus-app too, whose package step fills focus-app/target/lib for bin/focus
  mvn -B -ntp -q -Pbench -DskipTests -pl focus-bench -am package >>"$LOG" 2>&1 || { tail -40 "$LOG"; exit 1; }
fi

exec java -Xmx1g -cp focus-bench/target/benchmarks.jar io.focus.bench.soak.SoakBench --checkout "$PWD" "$@" </dev/null
