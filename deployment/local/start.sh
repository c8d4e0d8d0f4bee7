#!/usr/bin/env bash
# Starts kinesis-local in the background with the two streams Trailguard uses:
#   events  (2 shards)  CloudTrail events as EventBridge envelopes
#   control (1 shard)   rule bundles written by `trailguard.jar publish`
# Plain HTTP on $KINESIS_PORT (default 4568); TLS on $KINESIS_TLS_PORT (default 4567, unused: Java SDKs do not trust
# its certificate). Stream ARNs: arn:aws:kinesis:us-east-1:000000000000:stream/NAME; any credentials work.
# Data lives in memory: stop.sh discards it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
state="$here/.state"
port="${KINESIS_PORT:-4568}"
tls_port="${KINESIS_TLS_PORT:-4567}"
streams="${KINESIS_STREAMS:-events:2,control:1}"
pkg="$here/node_modules/kinesis-local"

if [[ ! -f "$pkg/main.js" ]]; then
  echo "kinesis-local is not installed: run $here/install.sh first" >&2
  exit 1
fi
mkdir -p "$state"
if [[ -f "$state/kinesis-local.pid" ]] && kill -0 "$(cat "$state/kinesis-local.pid")" 2>/dev/null; then
  echo "kinesis-local is already running (pid $(cat "$state/kinesis-local.pid")) on http://localhost:$port"
  exit 0
fi

for p in "$port" "$tls_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    echo "port $p is already in use (another kinesis-local?); stop it or set KINESIS_PORT / KINESIS_TLS_PORT" >&2
    exit 1
  fi
done

# kinesis-local must start from its package folder: it reads server.json from there.
cd "$pkg"
KINESIS_MOCK_PLAIN_PORT="$port" KINESIS_MOCK_TLS_PORT="$tls_port" INITIALIZE_STREAMS="$streams" \
  nohup node main.js >"$state/kinesis-local.log" 2>&1 &
echo $! >"$state/kinesis-local.pid"

for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    sleep 1 # streams become ACTIVE shortly after the port opens
    echo "kinesis-local running (pid $(cat "$state/kinesis-local.pid")) on http://localhost:$port with streams $streams"
    echo "log: $state/kinesis-local.log"
    exit 0
  fi
  if ! kill -0 "$(cat "$state/kinesis-local.pid")" 2>/dev/null; then
    echo "kinesis-local exited; see $state/kinesis-local.log" >&2
    exit 1
  fi
  sleep 0.2
done
echo "kinesis-local did not open port $port within 20 s; see $state/kinesis-local.log" >&2
exit 1
