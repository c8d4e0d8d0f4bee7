package io.trailguard.job.kinesis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.TestEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.trailguard.job.kinesis.KinesisJobHarness.lines;
import static io.trailguard.job.kinesis.KinesisJobHarness.putEvent;
import static io.trailguard.job.kinesis.SeparateJvm.kill;
import static io.trailguard.job.kinesis.SeparateJvm.list;
import static io.trailguard.job.kinesis.SeparateJvm.read;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finding times across a {@code kill -9}: {@code run} as a separate JVM against kinesis-local (2 shards, one per source subtask) with the
 * {@code ocsf:} line output and a {@code file:} alerts output, {@code checkpoint.dir} in a temporary folder, gets an
 * incident finding (version 1, an OCSF Create) and a rate window four failed logins into its threshold of five; once a
 * checkpoint triggered after the finding was written has completed, the process is killed with SIGKILL, and the very
 * same command resumes from that retained checkpoint. A fourth member of the sequence raises version 2 of the same
 * incident: by finding id it keeps the first run's CreatedAt, has a later UpdatedAt and is an OCSF Update; the fifth
 * login fires the restored window. A run without the restored state could give neither (one member is no incident, one
 * login no burst), so they and the resume line prove the restore. The Security Hub output is not in this test: a
 * local run has one endpoint override for every AWS client, here kinesis-local's ({@code FindingTimesRestoreTest}
 * checks the ASFF times across a restore in a MiniCluster).
 */
class FindingTimesKillAndRestartTest {
    private static final String STREAM = "ft-kr-events";
    private static final Pattern RESUMING = Pattern.compile(
            "resuming from the newest complete (checkpoint|savepoint) (\\S+) \\(id");
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String INCIDENT = "Attack Sequence by One Principal";
    private static final String LOGINS = "Console Login Failures From One Source";
    private static final String MALLORY = "arn:aws:iam::" + TestEvents.ACCOUNT + ":user/mallory";

    static final String RULES = String.join("\n",
            "- rule: " + LOGINS,
            "  desc: Five failed console logins from one address within ten minutes.",
            "  condition: ct.name = \"ConsoleLogin\" and ct.error exists",
            "  aggregate: {type: event_count, group_by: [ct.srcip], timespan: 10m, gte: 5}",
            "  output: '%aggregate.count failed console logins from %ct.srcip'",
            "  priority: WARNING",
            "  source: aws_cloudtrail",
            "",
            "- rule: Trail Logging Stopped",
            "  desc: CloudTrail logging was stopped.",
            "  condition: ct.name = \"StopLogging\"",
            "  output: Logging stopped by %ct.user.arn",
            "  priority: CRITICAL",
            "  tags: [aws, attack.defense-evasion, attack.t1562.008]",
            "  source: aws_cloudtrail",
            "",
            "- rule: Access Key Created",
            "  desc: A new access key was created.",
            "  condition: ct.name = \"CreateAccessKey\"",
            "  output: Access key created by %ct.user.arn",
            "  priority: CRITICAL",
            "  tags: [aws, attack.persistence, attack.t1098.001]",
            "  source: aws_cloudtrail",
            "",
            "- rule: Instances Listed",
            "  desc: EC2 instances were listed.",
            "  condition: ct.name = \"DescribeInstances\"",
            "  output: Instances listed by %ct.user.arn",
            "  priority: CRITICAL",
            "  tags: [aws, attack.discovery, attack.t1580]",
            "  source: aws_cloudtrail",
            "");

    private static KinesisLocal kinesis;
    private static KinesisClient client;

    @BeforeAll
    static void startKinesis() throws Exception {
        kinesis = KinesisLocal.start(STREAM + ":2", Collections.singletonList(STREAM));
        client = kinesis.client();
    }

    @AfterAll
    static void stopKinesis() throws Exception {
        if (client != null) {
            client.close();
        }
        if (kinesis != null) {
            kinesis.close();
        }
    }

    @Test
    void anIncidentUpdatedAfterAKillAndTheSameCommandKeepsItsFirstCreatedAt(@TempDir Path dir) throws Exception {
        Path checkpoints = dir.resolve("checkpoints");
        Path ocsf = dir.resolve("findings.ocsf.jsonl");
        Path alerts = dir.resolve("alerts.jsonl");
        Path rules = dir.resolve("rules.yaml");
        Files.write(rules, RULES.getBytes(StandardCharsets.UTF_8));
        List<String> command = command(checkpoints, ocsf, alerts, rules);
        Process p = null;
        try {
            // run 1: the incident's first version and four failed logins, a checkpoint after them, kill -9
            Path log1 = dir.resolve("run-1.log");
            p = SeparateJvm.start(command, log1);
            Process p1 = p;
            awaitUntil("run 1 decides its starting point", p1, () -> read(log1).contains("starting with empty state"));
            for (int i = 1; i <= 4; i++) {
                put(login("ftk-login-" + i, String.format("2026-02-01T10:00:0%dZ", i)));
            }
            put(member("cloudtrail.amazonaws.com", "StopLogging", "ftk-inc-1", "2026-02-01T10:00:10Z"));
            put(member("iam.amazonaws.com", "CreateAccessKey", "ftk-inc-2", "2026-02-01T10:00:11Z"));
            put(member("ec2.amazonaws.com", "DescribeInstances", "ftk-inc-3", "2026-02-01T10:00:12Z"));
            Path job1 = SeparateJvm.awaitNewJobDir(checkpoints, Collections.emptySet(), WAIT, p1);
            awaitUntil("run 1 writes the incident's first version", p1, () -> incidentLines(ocsf).size() == 1);
            JsonNode created = incidentLines(ocsf).get(0);
            long seen = newestCompleteId(job1);
            awaitUntil("a checkpoint triggered after the first version completes", p1,
                    () -> newestCompleteId(job1) >= seen + 2);
            kill(p1);
            long killedAt = newestCompleteId(job1);

            // run 2: the same command resumes from the retained checkpoint; the fourth member and the fifth login
            Path log2 = dir.resolve("run-2.log");
            p = SeparateJvm.start(command, log2);
            Process p2 = p;
            awaitUntil("run 2 decides its starting point", p2, () -> RESUMING.matcher(read(log2)).find());
            Matcher m = RESUMING.matcher(read(log2));
            assertThat(m.find()).isTrue();
            assertThat(m.group(2)).as("run 2 resumes from run 1's newest complete checkpoint")
                    .endsWith(job1.getFileName() + "/chk-" + killedAt);
            SeparateJvm.awaitNewJobDir(checkpoints, Set.of(job1), WAIT, p2);
            put(member("ec2.amazonaws.com", "DescribeInstances", "ftk-inc-4", "2026-02-01T10:06:02Z"));
            put(login("ftk-login-5", "2026-02-01T10:06:00Z"));
            awaitUntil("run 2 writes the incident's next version", p2, () -> incidentLines(ocsf).size() == 2);
            awaitUntil("run 2 fires the restored rate window", p2, () -> !byRule(lines(alerts), LOGINS).isEmpty());
            JsonNode updated = incidentLines(ocsf).get(1);
            p2.destroy(); // SIGTERM: stop with a savepoint
            assertThat(p2.waitFor(90, TimeUnit.SECONDS)).as("run 2 exits after SIGTERM").isTrue();

            String id = created.path("finding_info").path("uid").asText();
            assertThat(created.path("activity_id").asInt()).as("first version: Create").isEqualTo(1);
            assertThat(updated.path("finding_info").path("uid").asText()).as("the same finding").isEqualTo(id);
            assertThat(updated.path("activity_id").asInt()).as("after the kill: an Update").isEqualTo(2);
            assertThat(updated.path("activity_name").asText()).isEqualTo("Update");
            assertThat(updated.path("finding_info").path("created_time").asLong()).as("run 1's CreatedAt")
                    .isEqualTo(created.path("finding_info").path("created_time").asLong());
            assertThat(updated.path("finding_info").path("modified_time").asLong()).as("a later UpdatedAt")
                    .isGreaterThan(created.path("finding_info").path("modified_time").asLong());

            List<JsonNode> incidents = byRule(lines(alerts), INCIDENT);
            assertThat(incidents).extracting(n -> n.path("incident").path("version").asInt())
                    .as("each version once, the second from the restored sequence").containsExactly(1, 2);
            assertThat(incidents.get(1).toString()).contains("ftk-inc-1", "ftk-inc-2", "ftk-inc-3", "ftk-inc-4");
            List<JsonNode> rate = byRule(lines(alerts), LOGINS);
            assertThat(rate).hasSize(1);
            assertThat(rate.get(0).path("event_id").asText()).isEqualTo("ftk-login-5");
            assertThat(rate.get(0).path("output").asText()).as("the four logins of run 1 counted")
                    .startsWith("5 failed console logins");
        } finally {
            SeparateJvm.keepLogs(dir, "finding-times-kill-and-restart");
            if (p != null && p.isAlive()) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static void put(ObjectNode record) {
        putEvent(client, STREAM, record.get("eventID").asText(), record);
    }

    private static ObjectNode login(String id, String time) {
        ObjectNode r = TestEvents.record("signin.amazonaws.com", "ConsoleLogin", id, time);
        r.put("sourceIPAddress", "203.0.113.9");
        r.put("errorCode", "Failed authentication");
        r.putObject("responseElements").put("ConsoleLogin", "Failure");
        return r;
    }

    /** An event of mallory (TestEvents' principal) that one of the incident rules alerts on. */
    private static ObjectNode member(String source, String name, String id, String time) {
        ObjectNode r = TestEvents.record(source, name, id, time);
        assertThat(r.path("userIdentity").path("arn").asText()).isEqualTo(MALLORY);
        return r;
    }

    private static List<JsonNode> incidentLines(Path ocsf) {
        return byRule(lines(ocsf), INCIDENT);
    }

    /** Alert lines (rule) or OCSF lines (finding_info.title) of one rule. */
    private static List<JsonNode> byRule(List<JsonNode> lines, String rule) {
        return lines.stream().filter(n -> rule.equals(n.path("rule").asText())
                || rule.equals(n.path("finding_info").path("title").asText())).collect(Collectors.toList());
    }

    private static List<String> command(Path checkpoints, Path ocsf, Path alerts, Path rules) {
        return SeparateJvm.command(Arrays.asList("run", "--events-stream", STREAM, "--aws-endpoint", kinesis.endpoint(),
                "--output", "ocsf:" + ocsf, "--output", "file:" + alerts,
                "--no-bundled-rules", "--rules", rules.toString(),
                "--set", "events.initial_position=TRIM_HORIZON",
                "--set", "event_time.out_of_orderness=1s",
                "--set", "event_time.idleness=1s",
                "--set", "checkpoint.dir=" + checkpoints,
                "--set", "checkpoint.interval=500ms",
                "--set", "parallelism=2",
                "--set", "local.web_ui_port=0",
                "--set", "kinesis.flink.shard.getrecords.intervalmillis=100"));
    }

    private static void awaitUntil(String what, Process p, Supplier<Boolean> condition) throws Exception {
        SeparateJvm.awaitUntil(what, WAIT, p, condition);
    }

    /** The id of the job's newest complete checkpoint ({@code chk-N} with a non-empty {@code _metadata}), or -1. */
    private static long newestCompleteId(Path jobDir) {
        long newest = -1;
        for (Path d : list(jobDir)) {
            String n = d.getFileName().toString();
            Path meta = d.resolve("_metadata");
            try {
                if (n.matches("chk-\\d+") && Files.isRegularFile(meta) && Files.size(meta) > 0) {
                    newest = Math.max(newest, Long.parseLong(n.substring(4)));
                }
            } catch (IOException e) {
                // the checkpoint is being written or discarded: not complete
            }
        }
        return newest;
    }
}
