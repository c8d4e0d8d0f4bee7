#!/usr/bin/env bash
# Makes the upgrade savepoint fixture job/src/test/resources/savepoints/b4f2154 with the classes of an earlier build
# (README.md in that folder). Usage, from the repository root:
#   git worktree add --detach ../upgrade-old b4f2154
#   (cd ../upgrade-old && mvn -o -q -pl rules,job -am package -DskipTests)
#   job/src/test/savepoints/generate.sh ../upgrade-old
set -euo pipefail
old=$(cd "${1:?the worktree of the earlier build}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
fixture=$(cd "${2:-$here/../resources/savepoints/b4f2154}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# the earlier build's job and rules classes (with its test classes, for the fake AWS endpoint), then the job's
# dependencies without any trailguard artifact from the local repository
(cd "$old" && mvn -o -q -pl job dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/deps")
deps=$(tr ':' '\n' < "$work/deps" | grep -v '/io/trailguard/' | paste -sd: -)
cp="$old/job/target/classes:$old/rules/target/classes:$old/job/target/test-classes:$deps"
javac -nowarn -d "$work/classes" -cp "$cp" "$here/UpgradeSavepoint.java"
# the module opens of the tests (jdk17.test.opens in pom.xml): Flink's Kryo fallback needs them on Java 17
opens=$(sed -n 's:.*<jdk17.test.opens>\(.*\)</jdk17.test.opens>.*:\1:p' "$old/pom.xml")
# shellcheck disable=SC2086
java $opens -cp "$work/classes:$cp" -Dlog4j.configurationFile="$old/job/src/test/resources/log4j2-test.properties" \
  UpgradeSavepoint "$fixture"
