#!/usr/bin/env bash
# Validates a rule bundle (the bundled packs, then the given rule files) and publishes it to the local control
# stream. Usage: publish.sh [PATH...] [publish options, e.g. --disable-rule NAME]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$here/launcher.sh"
exec "${trailguard[@]}" publish --stream "${CONTROL_STREAM:-control}" \
  --endpoint-url "http://localhost:${KINESIS_PORT:-4568}" ${1:+--rules} "$@"
