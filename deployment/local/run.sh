#!/usr/bin/env bash
# Runs the Trailguard job locally against kinesis-local (Flink web UI on http://localhost:8081).
# Extra arguments are passed to `run`, e.g. --output stdout file:/tmp/alerts.jsonl or --set key=value.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
mkdir -p "$here/.state"
cd "$here"
source "$here/launcher.sh"
exec "${trailguard[@]}" run --config "$here/trailguard-local.properties" "$@"
