# Sourced by run.sh, send.sh and publish.sh: sets the array `trailguard` to the command that runs the CLI, the
# built jar (java -jar job/target/trailguard.jar). With TRAILGUARD_CLASSPATH set, the CLI's main class runs from that
# classpath instead, with the module openings the jar's manifest carries (how the walkthrough test runs the scripts
# before the jar is packaged).
if [[ -n "${TRAILGUARD_CLASSPATH:-}" ]]; then
  trailguard=(java
    --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED
    --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
    --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED
    --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
    --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
    --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
    -cp "$TRAILGUARD_CLASSPATH" io.trailguard.job.cli.Main)
else
  trailguard=(java -jar "$root/job/target/trailguard.jar")
fi
