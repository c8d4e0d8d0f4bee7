package io.trailguard.job.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.CollectingOutput;
import io.trailguard.job.TestEvents;
import io.trailguard.job.TestRules;
import io.trailguard.job.bundle.ControlMessage;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.metrics.Counters;
import io.trailguard.job.serde.JobJson;
import io.trailguard.job.serde.RawRecord;
import io.trailguard.rules.engine.Alert;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole detection graph in a MiniCluster (parallelism 2) with in-memory sources. */
class DetectionPipelineTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    private static JobExecutionResult run(List<RawRecord> events, List<RawRecord> control, CollectingOutput out)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<RawRecord> e = env.fromData(events, TypeInformation.of(RawRecord.class));
        DataStream<RawRecord> c = control.isEmpty() ? null
                : env.fromData(control, TypeInformation.of(RawRecord.class)).setParallelism(1);
        DetectionPipeline.build(env, e, c, PipelineSettings.bounded(TestRules.base()),
                Collections.singletonList(out));
        return env.execute("pipeline test");
    }

    /** Rate rules in streaming mode: signals keyed by (rule, group), event-time windows, repeats counted once. */
    @Test
    void rateRulesFireInStreamingModeOnceForRepeatedDeliveries() throws Exception {
        String rate = String.join("\n",
                "- rule: Many Describes",
                "  desc: d",
                "  condition: ct.name = \"DescribeInstances\"",
                "  aggregate: {type: event_count, group_by: [ct.srcip], timespan: 5m, gte: 3}",
                "  output: '%aggregate.count describes from %ct.srcip'",
                "  priority: WARNING",
                "  source: aws_cloudtrail",
                "- rule: Lonely Describe",
                "  desc: d",
                "  condition: ct.name = \"DescribeInstances\"",
                "  aggregate: {type: event_count, group_by: [ct.srcip], timespan: 5m, lt: 2}",
                "  output: '%aggregate.count describe from %ct.srcip'",
                "  priority: NOTICE",
                "  source: aws_cloudtrail",
                "");
        RuleBundle rules = TestRules.basePlus("rates", "rates.yaml", rate);
        List<RawRecord> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ObjectNode d = TestEvents.record("ec2.amazonaws.com", "DescribeInstances", "d" + i,
                    "2026-02-01T10:0" + i + ":00Z");
            d.put("sourceIPAddress", "198.51.100.7");
            events.add(TestEvents.raw(TestEvents.envelope(d), "shard-0:" + i));
            events.add(TestEvents.raw(TestEvents.envelope(d), "shard-1:" + i)); // delivered twice
        }
        ObjectNode lonely = TestEvents.record("ec2.amazonaws.com", "DescribeInstances", "x1", "2026-02-01T11:00:00Z");
        lonely.put("sourceIPAddress", "203.0.113.9");
        events.add(TestEvents.raw(lonely, "shard-0:9"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        CollectingOutput out = new CollectingOutput();
        DetectionPipeline.build(env, env.fromData(events, TypeInformation.of(RawRecord.class)), null,
                PipelineSettings.streaming(rules), Collections.singletonList(out));
        env.execute("rate rules, streaming");
        List<Alert> alerts = out.alerts().stream().map(Alert::fromJson).collect(Collectors.toList());
        assertThat(alerts).extracting(a -> a.rule() + "@" + a.eventId())
                .containsExactlyInAnyOrder("Many Describes@d2", "Lonely Describe@x1");
        Alert many = alerts.stream().filter(a -> a.rule().equals("Many Describes")).findFirst().get();
        assertThat(many.output()).isEqualTo("3 describes from 198.51.100.7");
    }

    private static List<String> rules(CollectingOutput out) {
        return out.alerts().stream().map(Alert::fromJson).map(a -> a.rule() + "@" + a.eventId())
                .sorted().collect(Collectors.toList());
    }

    @Test
    void repeatedDeliveriesOfAnEventAlertOnce() throws Exception {
        ObjectNode createUser = TestEvents.createUser("e1");
        ObjectNode logFile = JobJson.mapper().createObjectNode();
        logFile.putArray("Records").add(TestEvents.stopLogging("e2")).add(TestEvents.createUser("e1"))
                .add(TestEvents.describeInstances("e3"));
        List<RawRecord> events = new ArrayList<>();
        events.add(TestEvents.raw(TestEvents.envelope(createUser), "shard-0:1"));
        events.add(TestEvents.raw(TestEvents.envelope(createUser), "shard-0:2"));
        events.add(TestEvents.raw(createUser, "shard-1:1"));
        events.add(TestEvents.raw(logFile, "shard-1:2"));
        events.add(TestEvents.raw(TestEvents.envelope(TestEvents.stopLogging("e2")), "shard-0:3"));
        events.add(TestEvents.raw(TestEvents.describeInstances("e3"), "shard-1:3")); // no output: not tracked
        CollectingOutput out = new CollectingOutput();
        JobExecutionResult r = run(events, Collections.emptyList(), out);

        assertThat(rules(out)).containsExactly("CloudTrail Logging Disabled@e2", "Create IAM User@e1");
        assertThat(r.<Long>getAccumulatorResult(Counters.EVENTS)).isEqualTo(8L);
        assertThat(r.<Long>getAccumulatorResult(Counters.DUPLICATES)).isEqualTo(4L);
        assertThat(r.<Long>getAccumulatorResult(Counters.ALERTS)).isEqualTo(2L);
        assertThat(out.deadLetters()).isEmpty();
    }

    @Test
    void malformedRecordsAreDeadLetteredWithTheirReasonWhileValidEventsAlert() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
            g.write(TestEvents.bytes(TestEvents.envelope(TestEvents.createUser("gz"))));
        }
        List<RawRecord> events = new ArrayList<>();
        events.add(TestEvents.raw("{\"detail-type\":\"AWS API Call via CloudTrail\",\"detail\": {\"eventName\": ", "s-0:1"));
        events.add(TestEvents.raw("{\"hello\":\"world\"}", "s-0:2"));
        events.add(new RawRecord(gz.toByteArray(), "s-0:3"));
        events.add(new RawRecord(new byte[0], "s-0:4"));
        events.add(TestEvents.raw("{\"Records\": 5}", "s-0:5"));
        events.add(TestEvents.raw(TestEvents.envelope(TestEvents.createUser("ok")), "s-0:6"));
        CollectingOutput out = new CollectingOutput();
        JobExecutionResult r = run(events, Collections.emptyList(), out);

        assertThat(rules(out)).containsExactly("Create IAM User@ok");
        List<JsonNode> dead = new ArrayList<>();
        for (String line : out.deadLetters()) {
            dead.add(JobJson.mapper().readTree(line));
        }
        assertThat(dead).hasSize(5);
        assertThat(dead).allSatisfy(d -> {
            assertThat(d.get("type").asText()).isEqualTo("dead_letter");
            assertThat(d.get("reason").asText()).isNotBlank();
        });
        assertThat(dead.stream().map(d -> d.get("origin").asText()).sorted().collect(Collectors.toList()))
                .containsExactly("s-0:1", "s-0:2", "s-0:3", "s-0:4", "s-0:5");
        assertThat(dead.stream().filter(d -> d.get("origin").asText().equals("s-0:3")).findFirst().get()
                .get("reason").asText()).contains("gzip");
        assertThat(r.<Long>getAccumulatorResult(Counters.DEAD_LETTERS)).isEqualTo(5L);
    }

    @Test
    void controlRecordsBecomeRuleStatusOnEveryInstance() throws Exception {
        RuleBundle v2 = TestRules.basePlus("v2", "changes.yaml", TestRules.ACCESS_KEY_RULE);
        RuleBundle big = TestRules.bigBundle("v3-big", 2_000_000);
        List<RawRecord> control = new ArrayList<>();
        control.add(new RawRecord(v2.toMessageBytes(), "shardId-0:1"));
        control.add(TestEvents.raw("{\"type\":\"nonsense\"}", "shardId-0:2"));
        int i = 3;
        for (byte[] chunk : ControlMessage.encode(big, ControlMessage.MAX_RECORD_BYTES)) {
            control.add(new RawRecord(chunk, "shardId-0:" + i++));
        }
        CollectingOutput out = new CollectingOutput();
        run(Collections.singletonList(TestEvents.raw(TestEvents.describeInstances("e1"), "x")), control, out);

        List<JsonNode> status = new ArrayList<>();
        for (String line : out.statuses()) {
            status.add(JobJson.mapper().readTree(line));
        }
        assertThat(status.stream().filter(s -> s.get("status").asText().equals("accepted"))
                .map(s -> s.get("version").asText() + "/" + s.get("subtask").asInt()).sorted()
                .collect(Collectors.toList()))
                .containsExactly("v2/0", "v2/1", "v3-big/0", "v3-big/1");
        assertThat(status.stream().filter(s -> s.get("status").asText().equals("rejected")))
                .singleElement().satisfies(s -> {
                    assertThat(s.get("errors").get(0).asText()).contains("unknown type 'nonsense'");
                    assertThat(s.get("origin").asText()).isEqualTo("shardId-0:2");
                });
        assertThat(status.stream().filter(s -> s.get("status").asText().equals("accepted")
                && s.get("version").asText().equals("v3-big")).map(s -> s.get("hash").asText()))
                .containsOnly(big.hash());
        assertThat(new String(big.toMessageBytes(), StandardCharsets.UTF_8).length()).isGreaterThan(1_000_000);
    }
}
