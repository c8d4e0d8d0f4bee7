package io.trailguard.job.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import io.trailguard.job.bundle.BundleFile;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.output.AlertOutputs;
import io.trailguard.job.pipeline.DetectionPipeline;
import io.trailguard.job.pipeline.PipelineOutput;
import io.trailguard.job.pipeline.PipelineSettings;
import io.trailguard.job.serde.RawRecord;
import io.trailguard.job.sink.aws.FakeAwsEndpoint;
import io.trailguard.job.testing.LocalJobs;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.source.SourceFunction;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A savepoint of the whole job taken by an earlier build (commit b4f2154, before the rate state's single-entry form
 * and its own key serializer; {@code savepoints/b4f2154/README.md} in the test resources says how it was made)
 * restores in this build with every operator state mapped ({@code allowNonRestoredState=false}), and each kind of
 * state it holds keeps working, checked by event and finding id:
 * <ul>
 *   <li>a rate window four failed logins into its threshold of five fires at the fifth, counting the four;</li>
 *   <li>a redelivered eventID already alerted on is dropped by the dedup set;</li>
 *   <li>the open incident sequence (version 1 raised before the savepoint) raises version 2 with the new member,
 *       and its finding keeps the CreatedAt stamped before the upgrade in the OCSF and Security Hub outputs, as an
 *       OCSF Update.</li>
 * </ul>
 * The savepoint's job ran its start-up rules only (no control stream), so no published bundle is in its broadcast
 * state; the restoring job starts with the same rules. Its bundle source had finished, so the savepoint holds that
 * source's chain as finished: the restore also checks that this build's graph accepts it (Flink refuses one where a
 * finished operator follows one that is not).
 * The same events into the same job started empty (the control) give none of these, so each check depends on the
 * restored state.
 */
class UpgradeRestoreTest {
    /** Longer than the checked-in savepoint can be old when a test restores it. */
    private static final Duration FIXTURE_AGE_LIMIT = Duration.ofDays(36500);

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    static final String ACCOUNT = "111122223333";
    static final String MALLORY = "arn:aws:iam::" + ACCOUNT + ":user/mallory";
    static final String LOGINS = "Console Login Failures From One Source";
    static final String CREATE_USER = "Create IAM User";
    static final String INCIDENT = "Attack Sequence by One Principal";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void theEarlierBuildsSavepointRestoresAndEveryKindOfStateKeepsWorking(@TempDir Path dir) throws Exception {
        Path fixture = fixture();
        JsonNode before = only(LocalJobs.lines(fixture.resolve("findings.ocsf.jsonl")), INCIDENT);
        String incidentId = before.path("finding_info").path("uid").asText();
        long createdAt = before.path("finding_info").path("created_time").asLong();
        assertThat(before.path("activity_id").asInt()).as("the fixture's incident: a Create").isEqualTo(1);

        Run run = run(dir, fixture.resolve("savepoint").toString());

        List<JsonNode> rate = byRule(run.alerts, LOGINS);
        assertThat(rate).as("the fifth login crosses the restored window's threshold").hasSize(1);
        assertThat(rate.get(0).path("event_id").asText()).isEqualTo("login-5");
        assertThat(rate.get(0).path("output").asText()).startsWith("5 failed console logins from 203.0.113.9")
                .contains("login-1", "login-2", "login-3", "login-4", "login-5");

        assertThat(eventIds(byRule(run.alerts, CREATE_USER))).as("dup-1 was seen before the savepoint")
                .containsExactly("after-1");

        JsonNode incidentAlert = only(run.alerts, INCIDENT);
        assertThat(incidentAlert.path("incident").path("version").asInt()).as("the open sequence's next version")
                .isEqualTo(2);
        JsonNode updated = only(run.ocsf, INCIDENT);
        assertThat(updated.path("finding_info").path("uid").asText()).isEqualTo(incidentId);
        assertThat(updated.path("activity_id").asInt()).as("an Update of the finding made before").isEqualTo(2);
        assertThat(updated.path("finding_info").path("created_time").asLong()).as("CreatedAt of the earlier build")
                .isEqualTo(createdAt);
        assertThat(updated.path("finding_info").path("modified_time").asLong())
                .isGreaterThan(before.path("finding_info").path("modified_time").asLong());
        JsonNode asff = run.asff.get(incidentId);
        assertThat(asff).as("the incident in Security Hub").isNotNull();
        JsonNode asffBefore = LocalJobs.lines(fixture.resolve("findings.asff.jsonl")).stream()
                .filter(n -> n.path("Id").asText().equals(incidentId)).findFirst().orElseThrow();
        assertThat(asff.path("CreatedAt").asText()).as("Security Hub keeps the earlier build's CreatedAt")
                .isEqualTo(asffBefore.path("CreatedAt").asText());
        assertThat(asff.path("UpdatedAt").asText()).isNotEqualTo(asffBefore.path("UpdatedAt").asText());

    }

    /** The control: the same events into the same job without the savepoint. */
    @Test
    void withoutTheSavepointTheSameEventsGiveNoneOfIt(@TempDir Path dir) throws Exception {
        Run run = run(dir, null);
        assertThat(byRule(run.alerts, LOGINS)).as("one failed login is no burst").isEmpty();
        assertThat(eventIds(byRule(run.alerts, CREATE_USER))).containsExactlyInAnyOrder("dup-1", "after-1");
        assertThat(byRule(run.alerts, INCIDENT)).as("one member is no incident").isEmpty();
        assertThat(byRule(run.ocsf, INCIDENT)).isEmpty();
    }

    /** What a run wrote. */
    private static final class Run {
        final List<JsonNode> alerts = new ArrayList<>();
        final List<JsonNode> status = new ArrayList<>();
        final List<JsonNode> ocsf = new ArrayList<>();
        final java.util.Map<String, JsonNode> asff = new java.util.HashMap<>();
    }

    /**
     * The job of the fixture's generator (the same rules, settings and outputs) restored from {@code savepoint}, or
     * empty when it is null, reads the events after the upgrade: the redelivered dup-1, the fifth failed login, a new
     * CreateUser and a fourth member of mallory's sequence. It runs until the member's alert is out and event time
     * has passed it (the incident stage decides once the watermark passes), then is cancelled.
     */
    private static Run run(Path dir, String savepoint) throws Exception {
        Path fixture = fixture();
        RuleBundle rules = RuleBundle.of("upgrade-fixture", "2026-01-01T00:00:00Z", List.of(
                new BundleFile("upgrade.yaml", Files.readString(fixture.resolve("rules.yaml")))), null);
        String dup = Files.readAllLines(fixture.resolve("before.jsonl"), StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains("\"eventID\":\"dup-1\"")).findFirst().orElseThrow();
        Path alerts = dir.resolve("alerts.jsonl");
        Path ocsf = dir.resolve("findings.ocsf.jsonl");
        Run out = new Run();
        try (FakeAwsEndpoint fake = new FakeAwsEndpoint()) {
            fake.startListening();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            TrailguardConfig config = TrailguardConfig.empty()
                    .with("aws.region", "eu-west-1")
                    .with("aws.endpoint", fake.endpoint())
                    .with("securityhub.flush", "100ms")
                    .with("sink.dead_letter", "log");
            List<PipelineOutput> outputs = AlertOutputs.create(
                    List.of("file:" + alerts, "ocsf:" + ocsf, "securityhub"), AlertOutputs.Mode.RUN, "upgrade", config);
            Events.QUEUE.clear();
            Events.QUEUE.add(dup);
            Events.QUEUE.add(event("signin.amazonaws.com", "ConsoleLogin", "login-5", "10:06:00", "203.0.113.9",
                    "arn:aws:iam::" + ACCOUNT + ":user/guess5", true));
            Events.QUEUE.add(event("iam.amazonaws.com", "CreateUser", "after-1", "10:06:01", "198.51.100.7",
                    MALLORY, false));
            Events.QUEUE.add(event("ec2.amazonaws.com", "DescribeInstances", "inc-4", "10:06:02", "198.51.100.7",
                    MALLORY, false));
            DetectionPipeline.build(env,
                    env.addSource(new Events(), "Events", TypeInformation.of(RawRecord.class))
                            .setParallelism(1).uid("events-source"),
                    null,
                    PipelineSettings.streaming(rules)
                            .withOutOfOrderness(Duration.ofSeconds(1)).withIdleness(Duration.ofSeconds(1))
                            // the dedup entry and the finding times expire by processing time since the fixture
                            // was written (1 h and 7 d by default): horizons longer than any fixture's age
                            .withDedupHorizon(FIXTURE_AGE_LIMIT).withFindingTimesTtl(FIXTURE_AGE_LIMIT),
                    outputs);
            StreamGraph graph = env.getStreamGraph();
            if (savepoint != null) {
                graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
            }
            JobClient job = env.executeAsync(graph);
            LocalJobs.await("the fourth member's alert", WAIT, () -> {
                if (LocalJobs.status(job).isGloballyTerminalState()) {
                    try {
                        job.getJobExecutionResult().get();
                    } catch (Exception e) {
                        throw new AssertionError("the job ended: " + e, e);
                    }
                    throw new AssertionError("the job ended");
                }
                return eventIds(split(alerts, out)).contains("inc-4");
            });
            // event time passes inc-4 once the input has been quiet for the idleness plus the out-of-orderness; the
            // incident (restored run) is then decided; the wait leaves the incident and the Security Hub import time
            Thread.sleep(4000);
            if (savepoint != null) {
                LocalJobs.await("the incident's next version in both finding outputs", WAIT,
                        () -> !byRule(LocalJobs.lines(ocsf), INCIDENT).isEmpty()
                                && fake.findings().values().stream().anyMatch(f -> f.toString().contains(INCIDENT)));
            }
            job.cancel().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            split(alerts, out);
            out.ocsf.addAll(LocalJobs.lines(ocsf));
            out.asff.putAll(fake.findings());
        }
        return out;
    }

    /** Fills {@code into} with the alert and status lines of the file; returns the alerts. */
    private static List<JsonNode> split(Path file, Run into) {
        into.alerts.clear();
        into.status.clear();
        for (JsonNode n : LocalJobs.lines(file)) {
            if (n.path("type").asText().equals("rule_status")) {
                into.status.add(n);
            } else {
                into.alerts.add(n);
            }
        }
        return into.alerts;
    }

    private static Path fixture() throws URISyntaxException {
        return Path.of(UpgradeRestoreTest.class.getResource("/savepoints/b4f2154/README.md").toURI()).getParent();
    }

    /** Alert lines (rule) or OCSF lines (finding_info.title) of one rule. */
    private static List<JsonNode> byRule(List<JsonNode> lines, String rule) {
        return lines.stream().filter(n -> rule.equals(n.path("rule").asText())
                || rule.equals(n.path("finding_info").path("title").asText())).collect(Collectors.toList());
    }

    private static JsonNode only(List<JsonNode> lines, String rule) {
        List<JsonNode> of = byRule(lines, rule);
        assertThat(of).as("lines of " + rule).hasSize(1);
        return of.get(0);
    }

    private static List<String> eventIds(List<JsonNode> alerts) {
        return alerts.stream().map(n -> n.path("event_id").asText()).collect(Collectors.toList());
    }

    /** The generator's event form (job/src/test/savepoints/UpgradeSavepoint.java), on 2026-02-01. */
    static String event(String source, String name, String id, String time, String ip, String arn, boolean failed) {
        String user = arn.substring(arn.lastIndexOf('/') + 1);
        return "{\"version\":\"0\",\"id\":\"envelope-" + id + "\",\"detail-type\":\"AWS API Call via CloudTrail\","
                + "\"source\":\"aws." + source.split("\\.")[0] + "\",\"account\":\"" + ACCOUNT + "\","
                + "\"time\":\"2026-02-01T" + time + "Z\",\"region\":\"us-east-1\",\"resources\":[],"
                + "\"detail\":{\"eventVersion\":\"1.09\",\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"" + arn
                + "\",\"accountId\":\"" + ACCOUNT + "\",\"userName\":\"" + user + "\"},"
                + "\"eventTime\":\"2026-02-01T" + time + "Z\",\"eventSource\":\"" + source + "\","
                + "\"eventName\":\"" + name + "\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"" + ip + "\","
                + "\"userAgent\":\"aws-cli/2.15.0\",\"requestParameters\":{\"userName\":\"eve\"},"
                + (failed ? "\"errorCode\":\"Failed authentication\",\"responseElements\":{\"ConsoleLogin\":\"Failure\"},"
                        : "\"responseElements\":null,")
                + "\"requestID\":\"request-" + id + "\",\"eventID\":\"" + id + "\",\"readOnly\":false,"
                + "\"eventType\":\"AwsApiCall\",\"managementEvent\":true,\"recipientAccountId\":\"" + ACCOUNT + "\"}}";
    }

    /** The queued event lines as records of one shard, then nothing until cancelled (a live stream gone quiet). */
    static final class Events implements SourceFunction<RawRecord> {
        private static final long serialVersionUID = 1L;
        static final BlockingQueue<String> QUEUE = new LinkedBlockingQueue<>();
        private volatile boolean running = true;

        @Override
        public void run(SourceContext<RawRecord> ctx) throws Exception {
            long n = 0;
            while (running) {
                String line = QUEUE.poll(20, TimeUnit.MILLISECONDS);
                if (line != null) {
                    RawRecord r = new RawRecord(line.getBytes(StandardCharsets.UTF_8), "shard-0:" + n++);
                    r.shard = "shard-0";
                    synchronized (ctx.getCheckpointLock()) {
                        ctx.collect(r);
                    }
                }
            }
        }

        @Override
        public void cancel() {
            running = false;
        }
    }
}
