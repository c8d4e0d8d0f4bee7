package io.trailguard.job;

import io.trailguard.rules.engine.Alert;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The built jar, as a user runs it: {@code java -jar job/target/trailguard.jar} with no arguments. */
class JarIT {
    @Test
    void noArgumentRunPrintsOnlyAlertLinesOnStdout() throws Exception {
        Path jar = Paths.get("target", "trailguard.jar");
        assertThat(jar).as("built by mvn package").exists();
        Path out = Files.createTempFile("trailguard-out", ".txt");
        Path err = Files.createTempFile("trailguard-err", ".txt");
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(java, "-jar", jar.toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished within 2 minutes").isTrue();
        String stderr = new String(Files.readAllBytes(err), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(stderr).isZero();
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(Alert.fromJson(l).rule().name()).isNotBlank());
        assertThat(stderr).contains("replay: 2 files, 16 events read, 0 dead-lettered, 1 duplicates dropped, "
                + lines.size() + " alerts");
    }

    /**
     * {@code run} against an unreachable Kinesis endpoint, as a process with the jar's own logging configuration, for
     * 12 s: only the start-up check's WARN lines (one per check, backoff 1, 2, 4, 8 s), each naming the endpoint and
     * the error, and no stack trace (before: about 150 lines in 12 s from the connector and the restart loop).
     */
    @Test
    void runAgainstAnUnreachableEndpointLogsOneClearLinePerCheck() throws Exception {
        Path jar = Paths.get("target", "trailguard.jar");
        assertThat(jar).as("built by mvn package").exists();
        Path err = Files.createTempFile("trailguard-err", ".txt");
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(java, "-jar", jar.toString(), "run", "--events-stream", "events",
                "--aws-endpoint", "http://localhost:1", "--aws-region", "us-east-1",
                "--set", "local.web_ui_port=" + port)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
        try {
            assertThat(p.waitFor(12, TimeUnit.SECONDS)).as("still waiting for the endpoint").isFalse();
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
        assertThat(lines).hasSizeBetween(2, 5).allSatisfy(l -> assertThat(l).matches(
                "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  StartupReport - events stream 'events' at http://localhost:1 "
                        + "is unreachable: Connection refused; retrying in \\d+ s \\(check \\d+\\)"));
    }
}
