#!/usr/bin/env bash
# Measures the S3-notification source: RECORDS (default 500000) CloudTrail records in one local gzip log file
# (S3Proxy), announced on a local queue (ElasticMQ), read by the source and evaluated with the bundled rule packs at
# PARALLELISM (default 2). Prints records per second from the notification to the last record evaluated.
#   deployment/local/s3-throughput.sh [RECORDS [PARALLELISM]]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
state="$here/.state"
mkdir -p "$state"
if [[ -n "${TRAILGUARD_CLASSPATH:-}" ]]; then
  classpath="$TRAILGUARD_CLASSPATH"
else
  cp_file="$state/s3-classpath.txt"
  (cd "$root" && mvn -B -q -pl job -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >"$state/s3-build.log" 2>&1) || {
    echo "build failed: see $state/s3-build.log" >&2
    exit 1
  }
  classpath="$root/job/target/test-classes:$root/job/target/classes:$root/rules/target/classes:$(cat "$cp_file")"
fi
opens="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED"
# shellcheck disable=SC2086
exec java -Xmx2g $opens -Dlog4j2.level=WARN -cp "$classpath" io.trailguard.job.s3.S3SourceThroughput "$@"
