#!/usr/bin/env bash
# The S3 ingestion path on this machine, in one command: starts a local S3 server (S3Proxy, in memory) and a local
# SQS server (ElasticMQ), uploads the bundled sample CloudTrail events as a trail's log files with S3 event
# notifications, and runs the job reading them (run --events-queue). Alerts go to stdout and .state/s3-alerts.jsonl;
# Ctrl-C stops the job and the servers. Needs JDK 17 and Maven (the servers run from the job's test classpath).
#   S3_PORT (9090), SQS_PORT (9324): the servers' ports.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
state="$here/.state"
s3_port="${S3_PORT:-9090}"
sqs_port="${SQS_PORT:-9324}"
mkdir -p "$state"

# the job's classes and test classes, and their classpath (Flink, S3Proxy, ElasticMQ); TRAILGUARD_CLASSPATH skips
# the build and uses the one given
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

java -cp "$classpath" io.trailguard.job.s3.LocalS3Sqs "$s3_port" "$sqs_port" >"$state/s3-servers.log" 2>&1 &
servers=$!
trap 'kill "$servers" 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  grep -q "local S3" "$state/s3-servers.log" && break
  kill -0 "$servers" 2>/dev/null || { cat "$state/s3-servers.log" >&2; exit 1; }
  sleep 0.2
done
cat "$state/s3-servers.log"

s3="http://127.0.0.1:$s3_port"
sqs="http://127.0.0.1:$sqs_port"
java -cp "$classpath" io.trailguard.job.s3.LocalTrailUpload "$s3" "$sqs" trail-bucket trail-notifications

cd "$here"
# shellcheck disable=SC2086
java $opens -cp "$classpath" io.trailguard.job.cli.Main run --events-queue trail-notifications --aws-region us-east-1 \
  --output stdout file:.state/s3-alerts.jsonl --set "s3.endpoint=$s3" --set "sqs.endpoint=$sqs" \
  --set dead_letter.output=file:.state/s3-dead-letters.jsonl --set checkpoint.interval=5s "$@"
