package io.trailguard.job.kinesis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.TestEvents;
import io.trailguard.job.TestRules;
import io.trailguard.job.bundle.ActiveRules;
import io.trailguard.job.bundle.BundleVerifier;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.pipeline.StreamingJob;
import io.trailguard.rules.engine.MatchingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

import static io.trailguard.job.kinesis.KinesisJobHarness.alerts;
import static io.trailguard.job.kinesis.KinesisJobHarness.latestCheckpoint;
import static io.trailguard.job.kinesis.KinesisJobHarness.lines;
import static io.trailguard.job.kinesis.KinesisJobHarness.status;
import static io.trailguard.job.kinesis.KinesisJobHarness.stop;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming job against kinesis-local, in a MiniCluster (parallelism 2): EventBridge-wrapped events in, alerts and
 * rule status out through a file output, rule bundles published to the control stream while the job runs, malformed
 * records dead-lettered, and a restart from a retained checkpoint.
 */
class KinesisEndToEndTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static KinesisLocal kinesis;
    private static KinesisClient client;

    private static final RuleBundle V2 = TestRules.basePlus("v2", "changes.yaml",
            TestRules.DISABLE_CREATE_USER + TestRules.ACCESS_KEY_RULE);
    private static final RuleBundle V3_INVALID = TestRules.basePlus("v3", "changes.yaml",
            TestRules.DISABLE_CREATE_USER + TestRules.ACCESS_KEY_RULE, "broken.yaml", TestRules.BROKEN_RULE);

    @BeforeAll
    static void startKinesis() throws Exception {
        kinesis = KinesisLocal.start("events:2,control:1,events2:2,control2:1,control3:1",
                Arrays.asList("events", "control", "events2", "control2", "control3"));
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

    private static TrailguardConfig config(String events, String control, Path out) {
        return KinesisJobHarness.config(kinesis, events, control, out);
    }

    private static JobClient start(TrailguardConfig config, RuleBundle startup) throws Exception {
        return KinesisJobHarness.start(config, startup, "trailguard e2e");
    }



    private static PutRecordResponse put(String stream, String partitionKey, byte[] data) {
        return client.putRecord(b -> b.streamName(stream).partitionKey(partitionKey).data(SdkBytes.fromByteArray(data)));
    }

    private static PutRecordResponse putEvent(String stream, String partitionKey, ObjectNode record) {
        return put(stream, partitionKey, TestEvents.bytes(TestEvents.envelope(record)));
    }



    private static List<JsonNode> statuses(Path file, String status, String version) {
        return KinesisJobHarness.statuses(file, status).stream().filter(n -> n.path("version").asText().equals(version))
                .collect(Collectors.toList());
    }

    private static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        KinesisJobHarness.await(what, WAIT, condition);
    }

    private static void awaitAlert(Path out, String alert) throws InterruptedException {
        await("alert " + alert + " in " + out, () -> alerts(out.resolve("alerts.jsonl")).contains(alert));
    }

    private static void awaitOnEveryInstance(Path out, String status, String version) throws InterruptedException {
        await(status + " status of bundle " + version + " from both subtasks", () ->
                statuses(out.resolve("alerts.jsonl"), status, version).stream().map(n -> n.get("subtask").asInt())
                        .distinct().count() == 2);
    }

    @Test
    void rulesChangeWhileTheJobRunsAndBadInputIsDeadLettered(@TempDir Path out) throws Exception {
        TrailguardConfig config = config("events", "control", out);
        RuleBundle startup = StreamingJob.startupBundle(config, TestRules.base());
        assertThat(startup.hash()).as("empty control stream: the default rules").isEqualTo(TestRules.base().hash());
        JobClient job = start(config, startup);
        try {
            Path alertsFile = out.resolve("alerts.jsonl");
            // 1. EventBridge-wrapped events alert; a repeated delivery of one of them alerts once.
            ObjectNode createUser = TestEvents.createUser("u1");
            byte[] envelope = TestEvents.bytes(TestEvents.envelope(createUser));
            put("events", "a", envelope);
            put("events", "b", envelope);
            put("events", "c", TestEvents.bytes(createUser));
            putEvent("events", "d", TestEvents.stopLogging("s1"));

            // Malformed records: each dead-lettered with its reason and Kinesis coordinates.
            List<PutRecordResponse> bad = new ArrayList<>();
            bad.add(put("events", "x", "this is not JSON".getBytes(StandardCharsets.UTF_8)));
            bad.add(put("events", "y", "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8)));
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
                g.write(envelope);
            }
            bad.add(put("events", "z", gz.toByteArray()));
            putEvent("events", "x", TestEvents.createUser("u2"));

            awaitAlert(out, "CloudTrail Logging Disabled@s1");
            awaitAlert(out, "Create IAM User@u1");
            awaitAlert(out, "Create IAM User@u2");
            Path deadFile = out.resolve("dead-letters.jsonl");
            await("3 dead letters", () -> lines(deadFile).size() == 3);
            List<String> expectedOrigins = bad.stream().map(r -> r.shardId() + ":" + r.sequenceNumber()).sorted()
                    .collect(Collectors.toList());
            assertThat(lines(deadFile).stream().map(n -> n.get("origin").asText()).sorted())
                    .containsExactlyElementsOf(expectedOrigins);
            assertThat(lines(deadFile)).allSatisfy(n -> {
                assertThat(n.get("type").asText()).isEqualTo("dead_letter");
                assertThat(n.get("reason").asText()).isNotBlank();
            });
            assertThat(lines(deadFile).stream().map(n -> n.get("reason").asText()))
                    .anySatisfy(r -> assertThat(r).contains("gzip"));

            // 2. A new bundle (a rule added, one disabled) takes effect for later events, without a restart.
            assertThat(BundlePublisher.publish(client, "control", V2)).isEqualTo(1);
            awaitOnEveryInstance(out, "accepted", "v2");
            putEvent("events", "k", TestEvents.createUser("u3"));
            putEvent("events", "k", TestEvents.createAccessKey("k3"));
            awaitAlert(out, "Access Key Created@k3");
            Thread.sleep(2000);
            assertThat(alerts(alertsFile)).doesNotContain("Create IAM User@u3");

            // 3. An invalid bundle is rejected with its errors; the previous rules keep firing.
            BundlePublisher.publish(client, "control", V3_INVALID);
            awaitOnEveryInstance(out, "rejected", "v3");
            assertThat(statuses(alertsFile, "rejected", "v3")).allSatisfy(n -> {
                assertThat(n.get("hash").asText()).isEqualTo(V3_INVALID.hash());
                assertThat(n.get("errors").get(0).asText()).matches("broken\\.yaml:3:\\d+: .+");
                assertThat(n.has("time")).isTrue();
            });
            putEvent("events", "k", TestEvents.createUser("u4"));
            putEvent("events", "k", TestEvents.createAccessKey("k4"));
            awaitAlert(out, "Access Key Created@k4");
            Thread.sleep(2000);

            List<String> all = alerts(alertsFile);
            assertThat(all).doesNotContain("Create IAM User@u4");
            assertThat(all.stream().filter("Create IAM User@u1"::equals)).hasSize(1);
            assertThat(statuses(alertsFile, "accepted", "v2")).allSatisfy(n ->
                    assertThat(n.get("hash").asText()).isEqualTo(V2.hash()));
        } finally {
            stop(job);
        }
    }

    @Test
    void aRestartFromACheckpointResumesWithTheLastAcceptedBundle(@TempDir Path dir) throws Exception {
        Path checkpoints = dir.resolve("checkpoints");
        TrailguardConfig config = config("events2", "control2", dir.resolve("run1"))
                .with("checkpoint.dir", checkpoints.toString())
                .with("checkpoint.interval", "500ms");
        JobClient first = start(config, TestRules.base());
        long acceptedAt;
        try {
            BundlePublisher.publish(client, "control2", V2);
            awaitOnEveryInstance(dir.resolve("run1"), "accepted", "v2");
            acceptedAt = System.currentTimeMillis();
            putEvent("events2", "k", TestEvents.createAccessKey("k1"));
            awaitAlert(dir.resolve("run1"), "Access Key Created@k1");
            await("a checkpoint completed after the bundle was accepted", () -> latestCheckpoint(checkpoints,
                    p -> p.toFile().lastModified() > acceptedAt + 1000) != null);
        } finally {
            stop(first);
        }
        Path restoreFrom = latestCheckpoint(checkpoints, p -> true);

        // The second run starts with the default rules (no Access Key rule) and the control source would start at
        // LATEST: only the restored broadcast state can make the V2 rules active.
        TrailguardConfig restarted = config("events2", "control2", dir.resolve("run2"))
                .with("checkpoint.restore", restoreFrom.toString())
                .with("control.initial_position", "LATEST");
        JobClient second = start(restarted, TestRules.base());
        try {
            putEvent("events2", "k", TestEvents.createUser("u2"));
            putEvent("events2", "k", TestEvents.createAccessKey("k2"));
            awaitAlert(dir.resolve("run2"), "Access Key Created@k2");
            Path run2 = dir.resolve("run2").resolve("alerts.jsonl");
            // the status leaves the evaluator by its side output, the alert through the dedup and alert stages: the
            // file can get them in either order
            await("active status of bundle v2 in " + run2, () -> !statuses(run2, "active", "v2").isEmpty());
            assertThat(statuses(run2, "active", "v2")).isNotEmpty().allSatisfy(n -> {
                assertThat(n.get("hash").asText()).isEqualTo(V2.hash());
                assertThat(n.get("detail").asText()).isEqualTo("restored from checkpoint");
            });
            Thread.sleep(2000);
            assertThat(alerts(run2)).doesNotContain("Create IAM User@u2").doesNotContain("Access Key Created@k1");
        } finally {
            stop(second);
        }
    }

    @Test
    void startUpScanPicksTheNewestValidBundleOnTheControlStream() throws Exception {
        RuleBundle v1 = TestRules.basePlus("v1", "a.yaml", TestRules.ACCESS_KEY_RULE);
        BundlePublisher.publish(client, "control3", v1);
        BundlePublisher.publish(client, "control3", V2);
        BundlePublisher.publish(client, "control3", V3_INVALID);
        client.putRecord(b -> b.streamName("control3").partitionKey("p")
                .data(SdkBytes.fromUtf8String("{\"type\":\"junk\"}")));
        ControlStreamBootstrap.Result r = ControlStreamBootstrap.newestValidBundle(client, "control3",
                new ActiveRules(v1, MatchingMode.ALL, BundleVerifier.none()), Duration.ofSeconds(10));
        assertThat(r.problem).isNull();
        assertThat(r.bundlesFound).isEqualTo(3);
        assertThat(r.bundle.version()).isEqualTo("v2");
        assertThat(r.bundle.hash()).isEqualTo(V2.hash());
        assertThat(r.bundle.origin()).startsWith("shardId-");

        ControlStreamBootstrap.Result missing = ControlStreamBootstrap.newestValidBundle(client, "no-such-stream",
                new ActiveRules(v1, MatchingMode.ALL, BundleVerifier.none()), Duration.ofSeconds(5));
        assertThat(missing.bundle).isNull();
        assertThat(missing.problem).contains("cannot read control stream");
    }

}
