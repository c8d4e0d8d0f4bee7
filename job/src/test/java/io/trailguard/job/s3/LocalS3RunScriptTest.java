package io.trailguard.job.s3;

import com.fasterxml.jackson.databind.JsonNode;
import io.trailguard.job.serde.JobJson;
import io.trailguard.job.cli.Main;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deployment/local/s3-run.sh}, the one command of the local S3 path, as a user runs it (on this JVM's
 * classpath instead of its own build): it starts S3Proxy and ElasticMQ, uploads the bundled samples as a trail's log
 * files with notifications, and runs the job, which prints the same single-event alerts a replay of the samples
 * prints.
 */
class LocalS3RunScriptTest {
    private static final Path SCRIPT = Paths.get("..", "deployment", "local", "s3-run.sh");
    private static final Path STATE = Paths.get("..", "deployment", "local", ".state");

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Set<String> alerts(String lines) throws IOException {
        Set<String> out = new TreeSet<>();
        for (String line : lines.split("\n")) {
            if (line.startsWith("{")) {
                JsonNode n = JobJson.mapper().readTree(line);
                // rate-rule alerts and incidents come out in a streaming run once event time passes their window
                // or their newest member (minutes later on a quiet input); a replay gives them at its end: only
                // single-event alerts are compared
                if (n.has("rule") && !n.has("type") && !n.has("aggregate") && !n.has("incident")) {
                    out.add(n.get("rule").asText() + "@" + n.get("event_id").asText());
                }
            }
        }
        return out;
    }

    @Test
    void theS3PathRunsLocallyInOneCommandAndAlertsAsAReplayOfTheSamples() throws Exception {
        ByteArrayOutputStream replayOut = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"replay", "--input",
            "src/main/resources/io/trailguard/job/samples/cloudtrail-log-file.json",
            "src/main/resources/io/trailguard/job/samples/eventbridge-events.jsonl"},
                new PrintStream(replayOut, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(code).isZero();
        Set<String> expected = alerts(replayOut.toString(StandardCharsets.UTF_8));
        assertThat(expected).isNotEmpty();

        Path log = Files.createTempFile("s3-run", ".log");
        Files.deleteIfExists(STATE.resolve("s3-alerts.jsonl"));
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString(), "--set", "local.web_ui_port="
                + freePort(), "--fresh").redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("S3_PORT", String.valueOf(freePort()));
        pb.environment().put("SQS_PORT", String.valueOf(freePort()));
        pb.environment().put("TRAILGUARD_CLASSPATH", System.getProperty("java.class.path"));
        Process p = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            Set<String> seen = new TreeSet<>();
            while (System.nanoTime() < deadline && p.isAlive()) {
                seen = alerts(new String(Files.readAllBytes(log), StandardCharsets.UTF_8));
                if (seen.containsAll(expected)) {
                    break;
                }
                Thread.sleep(500);
            }
            String output = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
            assertThat(output).contains("local S3 (S3Proxy, in memory)").contains("announced");
            assertThat(seen).as(output).isEqualTo(expected);
            Thread.sleep(2000);
            assertThat(alerts(new String(Files.readAllBytes(STATE.resolve("s3-alerts.jsonl")),
                    StandardCharsets.UTF_8))).isEqualTo(expected);
        } finally {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }
}
