#!/usr/bin/env bash
# Builds everything and runs all tests, unit and integration (against a real Prosody the tests start themselves).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
# -Pbench: the benchmarks and the demo driver are compiled too (they are run by hand), so a change that breaks them fails here
exec mvn -B -ntp -Pbench verify "$@"
