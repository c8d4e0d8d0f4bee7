package io.trailguard.job.kinesis;

import com.fasterxml.jackson.databind.JsonNode;
import io.trailguard.job.cli.Main;
import io.trailguard.job.serde.JobJson;
import io.trailguard.job.testing.LocalJobs;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The walkthrough of {@code deployment/local/README.md} ("Run against a local Kinesis"), its scripts run as the
 * README shows them (on free ports, from this JVM's classpath instead of the packaged jar): {@code start.sh},
 * {@code run.sh}, {@code send.sh} with the samples (the single-event alerts a replay of the samples gives, eight of
 * them, the repeated {@code CreateUser} once), {@code publish.sh} with the example rule change (accepted by the
 * running job), {@code send.sh} with the example events ("Access Key Created" on the {@code CreateAccessKey} event,
 * nothing on the {@code CreateUser} event), a stop and restart of {@code run.sh} (a savepoint, then resumed from it;
 * the status lines of the restored rules come with the next events, which this test does not send), and
 * {@code stop.sh}, which leaves no process behind.
 */
class LocalWalkthroughTest {
    private static final Path LOCAL = Paths.get("..", "deployment", "local").toAbsolutePath().normalize();
    private static final Path STATE = LOCAL.resolve(".state");
    private static final Path ALERTS = STATE.resolve("alerts.jsonl");
    private static final String SAMPLES = "job/src/main/resources/io/trailguard/job/samples";
    private static final String CREATE_USER = "5b7a3c1e-2f4d-4e8a-9c6b-0a1b2c3d4e01";
    private static final String CREATE_ACCESS_KEY = "5b7a3c1e-2f4d-4e8a-9c6b-0a1b2c3d4e02";
    private static final Duration WAIT = Duration.ofSeconds(120);

    private final String kinesisPort;
    private final String tlsPort;
    private final String webUiPort;

    LocalWalkthroughTest() throws IOException {
        kinesisPort = String.valueOf(KinesisLocal.freePort());
        tlsPort = String.valueOf(KinesisLocal.freePort());
        webUiPort = String.valueOf(KinesisLocal.freePort());
    }

    /** A script run from the repository root as the README runs it, with the test's ports and classpath. */
    private ProcessBuilder script(Path log, String name, String... args) {
        List<String> command = new ArrayList<>(Arrays.asList("bash", "deployment/local/" + name));
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(LOCAL.getParent().getParent().toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("KINESIS_PORT", kinesisPort);
        pb.environment().put("KINESIS_TLS_PORT", tlsPort);
        pb.environment().put("TRAILGUARD_CLASSPATH", System.getProperty("java.class.path"));
        return pb;
    }

    /** Runs a script to its end; returns its output, failing on a non-zero exit. */
    private String runScript(String name, String... args) throws Exception {
        Path log = Files.createTempFile("walkthrough-" + name, ".log");
        Process p = script(log, name, args).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(name + " ends").isTrue();
        String out = Files.readString(log);
        assertThat(p.exitValue()).as(name + ": " + out).isZero();
        return out;
    }

    /** {@code run.sh ARGS} in the background, on a free web UI port and the test's Kinesis port. */
    private Process startJob(Path log, String... args) throws IOException {
        List<String> all = new ArrayList<>(Arrays.asList("--endpoint-url", "http://localhost:" + kinesisPort,
                "--set", "local.web_ui_port=" + webUiPort));
        all.addAll(Arrays.asList(args));
        return script(log, "run.sh", all.toArray(new String[0])).start();
    }

    private static void stopJob(Process job) throws InterruptedException {
        job.destroy(); // SIGTERM, as Ctrl-C: a savepoint, then the end
        if (!job.waitFor(90, TimeUnit.SECONDS)) {
            job.descendants().forEach(ProcessHandle::destroyForcibly);
            job.destroyForcibly();
            job.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** {@code rule@event_id} of the single-event alert lines (rate alerts and incidents come later in streaming). */
    private static List<String> alerts(List<JsonNode> lines) {
        return lines.stream().filter(n -> n.has("rule") && !n.has("type") && !n.has("aggregate")
                        && !n.has("incident"))
                .map(n -> n.get("rule").asText() + "@" + n.get("event_id").asText()).collect(Collectors.toList());
    }

    private static String text(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<JsonNode> statuses(String status) {
        return LocalJobs.lines(ALERTS).stream().filter(n -> n.path("type").asText().equals("rule_status")
                && n.path("status").asText().equals(status)).collect(Collectors.toList());
    }

    private static Set<String> replayOfTheSamples() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"replay", "--input", "../" + SAMPLES},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(code).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("{")) {
                lines.add(JobJson.mapper().readTree(line));
            }
        }
        return new TreeSet<>(alerts(lines));
    }

    @Test
    void theReadmeWalkthroughRunsAndAlertsAsItSays() throws Exception {
        KinesisLocal.assumeInstalled();
        Path pidFile = STATE.resolve("kinesis-local.pid");
        assumeThat(Files.exists(pidFile) && ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()))
                .map(ProcessHandle::isAlive).orElse(false)).as("a kinesis-local of start.sh is running already")
                .isFalse();
        Set<String> expected = replayOfTheSamples();
        assertThat(expected).as("the README's count of the samples' alerts").hasSize(8);
        Files.deleteIfExists(ALERTS);

        String started = runScript("start.sh");
        assertThat(started).contains("kinesis-local running").contains("on http://localhost:" + kinesisPort);
        ProcessHandle kinesis = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).orElseThrow();
        List<ProcessHandle> stack = new ArrayList<>();
        stack.add(kinesis);
        kinesis.descendants().forEach(stack::add);
        Path jobLog = Files.createTempFile("walkthrough-run", ".log");
        Process job = null;
        try {
            job = startJob(jobLog, "--fresh");
            Process running = job;
            LocalJobs.await("the job ready", WAIT, () -> text(jobLog).contains("ready: events stream 'events'")
                    || !running.isAlive());
            assertThat(job.isAlive()).as(Files.readString(jobLog)).isTrue();

            // 3. the samples: their alerts, the CreateUser repeat dropped
            String sent = runScript("send.sh", SAMPLES);
            assertThat(sent).contains("sent 16 records to");
            LocalJobs.await("the samples' alerts", WAIT,
                    () -> new TreeSet<>(alerts(LocalJobs.lines(ALERTS))).containsAll(expected));
            Thread.sleep(2000);
            List<String> afterSamples = alerts(LocalJobs.lines(ALERTS));
            assertThat(new TreeSet<>(afterSamples)).isEqualTo(expected);
            assertThat(afterSamples).as("each alert once").doesNotHaveDuplicates();
            assertThat(Files.readString(jobLog)).as("alerts on stdout too").contains(expected.iterator().next()
                    .substring(expected.iterator().next().indexOf('@') + 1));

            // 4. the rule change, accepted by the running job
            String published = runScript("publish.sh", "deployment/local/examples/extra-rules.yaml");
            assertThat(published).containsPattern("published version=\\S+ hash=\\S+ rules=\\d+ files=\\d+ "
                    + "records=1 stream=control");
            LocalJobs.await("the bundle accepted", WAIT, () -> !statuses("accepted").isEmpty());

            // 5. it takes effect
            runScript("send.sh", "deployment/local/examples/access-key-events.json");
            LocalJobs.await("Access Key Created", WAIT, () -> alerts(LocalJobs.lines(ALERTS))
                    .contains("Access Key Created@" + CREATE_ACCESS_KEY));
            Thread.sleep(2000);
            assertThat(LocalJobs.lines(ALERTS)).as("the CreateUser event raises nothing")
                    .noneMatch(n -> n.path("event_id").asText().equals(CREATE_USER));

            // 6. stop with a savepoint, restart from it with the published rules
            stopJob(job);
            assertThat(Files.readString(jobLog)).contains("stopped with savepoint");
            Path restartLog = Files.createTempFile("walkthrough-restart", ".log");
            job = startJob(restartLog);
            Process restarted = job;
            LocalJobs.await("the job ready again", WAIT, () -> text(restartLog).contains(
                    "ready: events stream 'events'") || !restarted.isAlive());
            assertThat(text(restartLog)).contains("resuming from the newest complete savepoint")
                    .contains("ready: events stream 'events'");
        } finally {
            if (job != null) {
                stopJob(job);
            }
            // 7. stop
            String stopped = runScript("stop.sh");
            assertThat(stopped).contains("kinesis-local (pid " + kinesis.pid() + ") stopped");
        }
        for (ProcessHandle h : stack) {
            h.onExit().get(10, TimeUnit.SECONDS);
            assertThat(h.isAlive()).as("process " + h.pid() + " after stop.sh").isFalse();
        }
        assertThat(job.isAlive()).isFalse();
        assertThat(pidFile).doesNotExist();
    }
}
