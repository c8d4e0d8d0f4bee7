#!/usr/bin/env bash
# Stops the kinesis-local started by start.sh (its streams and data are gone afterwards).
set -euo pipefail
state="$(cd "$(dirname "$0")" && pwd)/.state"
if [[ ! -f "$state/kinesis-local.pid" ]]; then
  echo "kinesis-local is not running (no $state/kinesis-local.pid)"
  exit 0
fi
pid="$(cat "$state/kinesis-local.pid")"
if kill -0 "$pid" 2>/dev/null; then
  kill "$pid"
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  echo "kinesis-local (pid $pid) stopped"
else
  echo "kinesis-local (pid $pid) was not running"
fi
rm -f "$state/kinesis-local.pid"
