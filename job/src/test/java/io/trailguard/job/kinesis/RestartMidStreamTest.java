package io.trailguard.job.kinesis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.CollectingOutput;
import io.trailguard.job.TestEvents;
import io.trailguard.job.TestRules;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.pipeline.DetectionPipeline;
import io.trailguard.job.pipeline.PipelineSettings;
import io.trailguard.job.serde.JobJson;
import io.trailguard.job.serde.RawRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static io.trailguard.job.kinesis.KinesisJobHarness.alertLines;
import static io.trailguard.job.kinesis.KinesisJobHarness.alerts;
import static io.trailguard.job.kinesis.KinesisJobHarness.await;
import static io.trailguard.job.kinesis.KinesisJobHarness.config;
import static io.trailguard.job.kinesis.KinesisJobHarness.latestCheckpoint;
import static io.trailguard.job.kinesis.KinesisJobHarness.putEvents;
import static io.trailguard.job.kinesis.KinesisJobHarness.start;
import static io.trailguard.job.kinesis.KinesisJobHarness.statuses;
import static io.trailguard.job.kinesis.KinesisJobHarness.stop;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole job killed mid-stream and restored from its latest retained checkpoint, against kinesis-local in a
 * MiniCluster (parallelism 2): a producer keeps putting events before, during and after the outage, a rate-rule
 * bundle is published while the job runs, and a rate-rule burst straddles the kill. Afterwards no alert is missing
 * (repeats allowed: alerts are at least once), the rate rule fired as in an undisturbed run, and the last accepted
 * bundle is active.
 */
class RestartMidStreamTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    private static final String RATE_RULE = String.join("\n",
            "- rule: Many Describes",
            "  desc: d",
            "  condition: ct.name = \"DescribeInstances\"",
            "  aggregate: {type: event_count, group_by: [ct.srcip], timespan: 5m, gte: 10}",
            "  output: '%aggregate.count describes from %ct.srcip'",
            "  priority: WARNING",
            "  source: aws_cloudtrail",
            "");
    private static final RuleBundle RATES = TestRules.basePlus("rates-v1", "rates.yaml", RATE_RULE);
    private static final Instant T0 = Instant.parse("2026-02-01T10:00:00Z");
    private static final String BURST_IP = "203.0.113.5";

    private static KinesisLocal kinesis;
    private static KinesisClient client;

    @BeforeAll
    static void startKinesis() throws Exception {
        kinesis = KinesisLocal.start("rm-events:2,rm-control:1", Arrays.asList("rm-events", "rm-control"));
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

    /** The burst: 10 DescribeInstances from one address within a minute (the rule fires at the 10th). */
    private static List<ObjectNode> burst(int from, int to) {
        List<ObjectNode> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ObjectNode d = TestEvents.record("ec2.amazonaws.com", "DescribeInstances", "burst" + i,
                    T0.plusSeconds(20 + i).toString());
            d.put("sourceIPAddress", BURST_IP);
            out.add(d);
        }
        return out;
    }

    /** The rate alerts projected to what must not change: rule, event, count, group, output. */
    private static Set<String> rateAlerts(List<JsonNode> alerts) {
        return alerts.stream().filter(n -> n.has("aggregate"))
                .map(n -> n.get("rule").asText() + "@" + n.get("event_id").asText() + " count="
                        + n.get("aggregate").get("count").asText() + " group=" + n.get("aggregate").get("group")
                        + " output=" + n.get("output").asText())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The same burst through the same graph, undisturbed (bounded, in memory, the rate bundle from the start). */
    private static Set<String> undisturbedRateAlerts() throws Exception {
        List<RawRecord> events = new ArrayList<>();
        int i = 0;
        for (ObjectNode d : burst(0, 10)) {
            events.add(TestEvents.raw(TestEvents.envelope(d), "shard-0:" + i++));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        CollectingOutput out = new CollectingOutput();
        DetectionPipeline.build(env, env.fromData(events, TypeInformation.of(RawRecord.class)), null,
                PipelineSettings.bounded(RATES), Collections.singletonList(out));
        env.execute("undisturbed rate baseline");
        List<JsonNode> alerts = new ArrayList<>();
        for (String line : out.alerts()) {
            alerts.add(JobJson.mapper().readTree(line));
        }
        return rateAlerts(alerts);
    }

    /** Puts one CreateUser event every 40 ms (event time 100 ms apart) until stopped. */
    private static final class Producer extends Thread {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicInteger sent = new AtomicInteger();
        volatile Throwable failure;

        @Override
        public void run() {
            try {
                while (running.get()) {
                    int i = sent.get();
                    ObjectNode r = TestEvents.record("iam.amazonaws.com", "CreateUser", "p" + i,
                            T0.plusMillis(100L * i).toString());
                    putEvents(client, "rm-events", Collections.singletonList(r));
                    sent.incrementAndGet();
                    Thread.sleep(40);
                }
            } catch (Throwable t) {
                failure = t;
            }
        }
    }

    @Test
    void killedMidStreamAndRestoredFromItsCheckpointLosesNoAlertAndCountsRatesAsUndisturbed(@TempDir Path dir)
            throws Exception {
        Set<String> undisturbed = undisturbedRateAlerts();
        assertThat(undisturbed).hasSize(1).first().asString().startsWith("Many Describes@burst9 count=10");

        Path checkpoints = dir.resolve("checkpoints");
        Path run1 = dir.resolve("run1");
        Path run2 = dir.resolve("run2");
        TrailguardConfig config = config(kinesis, "rm-events", "rm-control", run1)
                .with("checkpoint.dir", checkpoints.toString())
                .with("checkpoint.interval", "500ms");
        Producer producer = new Producer();
        JobClient first = start(config, TestRules.base(), "restart mid-stream, run 1");
        producer.start();
        try {
            await("first alerts", () -> alerts(run1.resolve("alerts.jsonl")).size() >= 10);
            BundlePublisher.publish(client, "rm-control", RATES);
            await("rates-v1 accepted on both instances", () -> statuses(run1.resolve("alerts.jsonl"), "accepted")
                    .stream().filter(n -> n.get("version").asText().equals("rates-v1"))
                    .map(n -> n.get("subtask").asInt()).distinct().count() == 2);
            putBurst(0, 5);
            long burstAt = System.currentTimeMillis();
            await("a checkpoint after half the burst", () -> latestCheckpoint(checkpoints,
                    p -> p.toFile().lastModified() > burstAt + 1500) != null);
        } finally {
            stop(first); // the whole job dies while the producer keeps writing
        }
        assertThat(rateAlerts(alertLines(run1.resolve("alerts.jsonl")))).as("half a burst does not fire").isEmpty();
        putBurst(5, 10); // the rest of the burst while the job is down
        Thread.sleep(1000);
        Path restoreFrom = latestCheckpoint(checkpoints, p -> true);

        TrailguardConfig restarted = config(kinesis, "rm-events", "rm-control", run2)
                .with("checkpoint.dir", checkpoints.toString())
                .with("checkpoint.interval", "500ms")
                .with("checkpoint.restore", restoreFrom.toString())
                .with("control.initial_position", "LATEST");
        JobClient second = start(restarted, TestRules.base(), "restart mid-stream, run 2");
        try {
            Thread.sleep(3000);
            producer.running.set(false);
            producer.join(10_000);
            assertThat(producer.failure).isNull();
            int sent = producer.sent.get();
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < sent; i++) {
                expected.add("Create IAM User@p" + i);
            }
            await("all " + sent + " CreateUser alerts over both runs", () -> {
                Set<String> seen = new HashSet<>(alerts(run1.resolve("alerts.jsonl")));
                seen.addAll(alerts(run2.resolve("alerts.jsonl")));
                return seen.containsAll(expected);
            });
            await("the rate alert", () -> !rateAlerts(alertLines(run2.resolve("alerts.jsonl"))).isEmpty());
            Thread.sleep(2000);
            List<JsonNode> all = new ArrayList<>(alertLines(run1.resolve("alerts.jsonl")));
            all.addAll(alertLines(run2.resolve("alerts.jsonl")));
            assertThat(rateAlerts(all)).as("rate alerts as in the undisturbed run").isEqualTo(undisturbed);
            assertThat(all.stream().filter(n -> n.has("aggregate"))).as("the burst fired once").hasSize(1);
            Set<String> seen = all.stream().map(n -> n.get("rule").asText() + "@" + n.get("event_id").asText())
                    .collect(Collectors.toSet());
            assertThat(seen).containsAll(expected);
            List<JsonNode> active = statuses(run2.resolve("alerts.jsonl"), "active");
            assertThat(active).isNotEmpty().allSatisfy(n -> {
                assertThat(n.get("version").asText()).isEqualTo("rates-v1");
                assertThat(n.get("hash").asText()).isEqualTo(RATES.hash());
                assertThat(n.get("detail").asText()).isEqualTo("restored from checkpoint");
            });
            long repeats = alerts(run1.resolve("alerts.jsonl")).stream().filter(
                    new HashSet<>(alerts(run2.resolve("alerts.jsonl")))::contains).count();
            System.err.println("restart mid-stream: " + sent + " events from the producer, " + all.size()
                    + " alert lines over both runs, " + repeats + " alerts emitted again after the restore, from "
                    + restoreFrom.getFileName());
        } finally {
            producer.running.set(false);
            stop(second);
        }
    }

    /** Burst events share one partition key, so they stay in order on one shard. */
    private static void putBurst(int from, int to) {
        for (ObjectNode r : burst(from, to)) {
            KinesisJobHarness.putEvent(client, "rm-events", "burst", r);
        }
    }
}
