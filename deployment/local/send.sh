#!/usr/bin/env bash
# Puts CloudTrail events (files or directories: log files, records, JSON lines, .gz) into the local events stream,
# each wrapped in an EventBridge envelope. Usage: send.sh PATH... [--raw]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
raw=()
paths=()
for a in "$@"; do
  if [[ "$a" == "--raw" ]]; then raw=(--raw); else paths+=("$a"); fi
done
if [[ ${#paths[@]} -eq 0 ]]; then
  echo "usage: $0 PATH... [--raw]" >&2
  exit 2
fi
source "$here/launcher.sh"
exec "${trailguard[@]}" send --stream "${EVENTS_STREAM:-events}" \
  --endpoint-url "http://localhost:${KINESIS_PORT:-4568}" --input "${paths[@]}" "${raw[@]}"
