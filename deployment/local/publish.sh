#!/usr/bin/env bash
# Validates rule files and publishes them to the local control stream as one bundle. Usage: publish.sh PATH...
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if [[ $# -eq 0 ]]; then
  echo "usage: $0 RULES_PATH..." >&2
  exit 2
fi
exec java -jar "$root/job/target/trailguard.jar" publish --stream "${CONTROL_STREAM:-control}" \
  --aws-endpoint "http://localhost:${KINESIS_PORT:-4568}" --rules "$@"
