#!/usr/bin/env bash
# Builds everything and runs all tests, unit and integration (against a real Prosody the tests start themselves).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
exec mvn -B -ntp verify "$@"
