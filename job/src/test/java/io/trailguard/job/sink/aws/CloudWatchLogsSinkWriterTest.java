package io.trailguard.job.sink.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trailguard.job.aws.AwsClients;
import io.trailguard.job.aws.AwsConnection;
import io.trailguard.job.sink.aws.FakeAwsEndpoint.Api;
import io.trailguard.job.sink.aws.FakeAwsEndpoint.Fault;
import io.trailguard.rules.engine.Alert;
import org.apache.flink.api.connector.sink2.StatefulSink.StatefulSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The CloudWatch Logs writer against the fake endpoint, through the real SDK client (no Flink cluster). */
class CloudWatchLogsSinkWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GROUP = "/trailguard/alerts";
    private static FakeAwsEndpoint fake;
    private CollectingDeadLetters deadLetters;

    @BeforeAll
    static void start() throws Exception {
        fake = new FakeAwsEndpoint();
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    @BeforeEach
    void clean() {
        fake.clearFaults();
        fake.reset();
        deadLetters = new CollectingDeadLetters();
    }

    private CloudWatchLogsSink.Builder<String> sink() {
        return CloudWatchLogsSink.forJsonLines()
                .connection(AwsConnection.of("us-east-1", fake.endpoint())
                        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)))
                .logGroup(GROUP)
                .retryPolicy(RetryPolicy.backoff(5, 40))
                .maxTimeInBuffer(Duration.ofMillis(50))
                .deadLetters(deadLetters);
    }

    private static <T> CloudWatchLogsSinkWriter<T> run(CloudWatchLogsSink<T> sink, List<T> lines, int subtask)
            throws Exception {
        try (TestWriterContext ctx = new TestWriterContext(subtask, 2)) {
            @SuppressWarnings("unchecked")
            CloudWatchLogsSinkWriter<T> w = (CloudWatchLogsSinkWriter<T>) sink.createWriter(ctx);
            try {
                for (T l : lines) {
                    w.write(l, TestWriterContext.WRITE_CONTEXT);
                }
                w.flush(true);
                return w;
            } finally {
                w.close();
            }
        }
    }

    private static List<String> lines(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(TestAlerts.single(i).toJson());
        }
        return out;
    }

    private void assertEachOnce(List<String> expected) {
        assertThat(fake.logMessages(GROUP)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void createsGroupAndPerSubtaskStreamAndRespectsBatchLimits() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 25_000; i++) {
            lines.add("{\"type\":\"rule_status\",\"n\":" + i + "}"); // small: batches fill up by count
        }
        lines.addAll(lines(2_000)); // ~500-byte alert lines: batches fill up by bytes
        String big = "{\"type\":\"rule_status\",\"detail\":\"" + TestAlerts.repeat("x", 200_000) + "\"}";
        for (int i = 0; i < 12; i++) {
            lines.add(25_000 + 100 * i, big.replace("rule_status", "rule_status_" + i));
        }
        CloudWatchLogsSinkWriter<String> w = run(sink().build(), lines, 1);

        assertThat(fake.violations()).isEmpty();
        assertThat(fake.logGroups()).containsExactly(GROUP);
        Map<String, List<FakeAwsEndpoint.LogEvent>> streams = fake.logStreams(GROUP);
        assertThat(streams.keySet()).hasSize(1).allSatisfy(s -> assertThat(s).matches("trailguard/[0-9a-f]{32}/1"));
        assertThat(streams.keySet().iterator().next()).isEqualTo(w.logStream());
        assertEachOnce(lines);
        assertThat(fake.putLogEventsBatchCounts()).allSatisfy(n -> assertThat(n).isBetween(1, 10_000))
                .contains(10_000);
        assertThat(fake.putLogEventsBatchBytes()).allSatisfy(b -> assertThat(b).isLessThanOrEqualTo(1_048_576))
                .anySatisfy(b -> assertThat(b).isGreaterThan(800_000));
        assertThat(w.deliveredCount()).isEqualTo(lines.size());
        assertThat(fake.requests(Api.CREATE_LOG_GROUP)).isEqualTo(1);
        assertThat(fake.requests(Api.CREATE_LOG_STREAM)).isEqualTo(2); // group missing, then created
    }

    @Test
    void aPreexistingGroupIsUsedWithoutCreatingIt() throws Exception {
        fake.createLogGroup(GROUP);
        run(sink().createLogGroup(false).build(), lines(10), 0);
        run(sink().createLogGroup(false).build(), lines(10), 0); // another job: its own stream
        assertThat(fake.requests(Api.CREATE_LOG_GROUP)).isZero();
        assertThat(fake.logStreams(GROUP)).hasSize(2);
        // operators can list the streams (DescribeLogStreams) with a client from AwsClients (dummy credentials)
        try (software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient logs =
                     AwsClients.cloudWatchLogs(AwsConnection.of(null, fake.endpoint()))) {
            assertThat(logs.describeLogStreams(b -> b.logGroupName(GROUP).logStreamNamePrefix("trailguard/"))
                    .logStreams()).extracting(s -> s.logStreamName())
                    .containsExactlyInAnyOrderElementsOf(fake.logStreams(GROUP).keySet());
        }
        assertThat(fake.violations()).isEmpty();
    }

    @Test
    void aMissingGroupHoldsTheLinesUntilItExistsWhenCreationIsDisabled() throws Exception {
        List<String> lines = lines(30);
        try (TestWriterContext ctx = new TestWriterContext()) {
            @SuppressWarnings("unchecked")
            CloudWatchLogsSinkWriter<String> w =
                    (CloudWatchLogsSinkWriter<String>) sink().createLogGroup(false).build().createWriter(ctx);
            for (String l : lines) {
                w.write(l, TestWriterContext.WRITE_CONTEXT);
            }
            long deadline = System.currentTimeMillis() + 30_000;
            while (w.failedAttemptCount() < 20 && System.currentTimeMillis() < deadline) {
                ctx.runMails(20);
            }
            assertThat(w.failedAttemptCount()).as("attempts against the missing group").isGreaterThanOrEqualTo(20);
            assertThat(w.pendingCount()).isEqualTo(30);
            assertThat(fake.logGroups()).isEmpty();
            fake.createLogGroup(GROUP); // the operator creates it
            w.flush(true);
            assertThat(w.deliveredCount()).isEqualTo(30);
            w.close();
        }
        assertEachOnce(lines);
        assertThat(fake.requests(Api.CREATE_LOG_GROUP)).isZero();
        assertThat(deadLetters.records()).isEmpty();
    }

    @Test
    void throttlingServerErrorsAndResetsAreRetriedWithoutDuplicates() throws Exception {
        fake.inject(Api.PUT_LOG_EVENTS, Fault.THROTTLE, 3)
                .inject(Api.PUT_LOG_EVENTS, Fault.SERVER_ERROR, 2)
                .inject(Api.PUT_LOG_EVENTS, Fault.RESET, 2)
                .inject(Api.CREATE_LOG_STREAM, Fault.THROTTLE, 1);
        List<String> lines = lines(3_000);
        CloudWatchLogsSinkWriter<String> w = run(sink().maxBatchSize(500).build(), lines, 0);

        assertThat(fake.faultsServed(Api.PUT_LOG_EVENTS)).isEqualTo(7);
        assertThat(fake.violations()).isEmpty();
        assertEachOnce(lines);
        assertThat(w.retriedCount()).isPositive();
        assertThat(w.deadLetteredCount()).isZero();
    }

    @Test
    void aDeletedStreamIsCreatedAgain() throws Exception {
        CloudWatchLogsSink<String> sink = sink().build();
        List<String> lines = lines(20);
        try (TestWriterContext ctx = new TestWriterContext()) {
            @SuppressWarnings("unchecked")
            CloudWatchLogsSinkWriter<String> w = (CloudWatchLogsSinkWriter<String>) sink.createWriter(ctx);
            for (String l : lines.subList(0, 10)) {
                w.write(l, TestWriterContext.WRITE_CONTEXT);
            }
            w.flush(true);
            fake.deleteLogStream(GROUP, w.logStream());
            for (String l : lines.subList(10, 20)) {
                w.write(l, TestWriterContext.WRITE_CONTEXT);
            }
            w.flush(true);
            w.close();
        }
        assertThat(fake.logMessages(GROUP)).containsExactlyInAnyOrderElementsOf(lines.subList(10, 20));
        assertThat(fake.requests(Api.CREATE_LOG_STREAM)).isEqualTo(3);
        assertThat(deadLetters.records()).isEmpty();
    }

    @Test
    void hostileAndOversizedLinesArriveIntactOrTruncatedAndValid() throws Exception {
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            alerts.add(TestAlerts.hostile("hostile-" + i, 1_048_576));
            alerts.add(TestAlerts.hostile("small-" + i, 300));
        }
        CloudWatchLogsSink<Alert> sink = CloudWatchLogsSink.forAlerts()
                .connection(AwsConnection.of("us-east-1", fake.endpoint()))
                .logGroup(GROUP).deadLetters(deadLetters).maxTimeInBuffer(Duration.ofMillis(50)).build();
        run(sink, alerts, 0);

        assertThat(fake.violations()).isEmpty();
        List<String> got = fake.logMessages(GROUP);
        assertThat(got).hasSize(alerts.size());
        for (String m : got) {
            assertThat(m.getBytes(StandardCharsets.UTF_8).length + 26).isLessThanOrEqualTo(256 * 1024);
            assertThat(m).doesNotContain("\n", "\r", "\u0000");
            JsonNode n = JSON.readTree(m);
            Alert back = Alert.fromJson(m);
            if (back.event().id().startsWith("small-")) {
                // intact: the line is the alert line (lone surrogates repaired)
                Alert original = alerts.stream().filter(a -> a.event().id().equals(back.event().id())).findFirst().get();
                assertThat(m).isEqualTo(Text.repairSurrogates(original.toJson()));
                assertThat(n.has("truncated")).isFalse();
            } else {
                assertThat(n.path("truncated").asBoolean()).isTrue();
                assertThat(back.rule().name()).startsWith("Hostile \n rule %s");
                assertThat(back.outputFields().get("ct.useragent").toString()).startsWith("Mozilla/5.0 %s %n %%");
            }
        }
    }

    @Test
    void edgeCaseAlertLinesArriveIntact() throws Exception {
        List<String> lines = TestAlerts.edgeCaseLines();
        run(sink().build(), lines, 0);
        assertThat(fake.violations()).isEmpty();
        List<String> expected = new ArrayList<>();
        for (String l : lines) {
            expected.add(Text.repairSurrogates(l));
        }
        assertEachOnce(expected);
    }

    @Test
    void aRefusedBatchIsSplitAndStillFailingEventsAreDeadLettered() throws Exception {
        fake.inject(Api.PUT_LOG_EVENTS, Fault.REJECT, 1);
        List<String> lines = lines(8);
        run(sink().build(), lines, 0);
        assertEachOnce(lines);
        assertThat(fake.putLogEventsBatchCounts()).containsExactly(4, 4);

        fake.reset();
        fake.inject(Api.PUT_LOG_EVENTS, Fault.THROTTLE, 100);
        CloudWatchLogsSinkWriter<String> w = run(sink().retryPolicy(RetryPolicy.backoff(5, 10)
                .withLimit(RetryLimit.attempts(3))).build(), lines, 0);
        assertThat(w.deadLetteredCount()).isEqualTo(8);
        assertThat(deadLetters.records()).allSatisfy(d -> {
            assertThat(d.delivery().attempts()).isEqualTo(3);
            assertThat(d.delivery().errorCode()).isEqualTo("ThrottlingException");
            assertThat(d.delivery().output()).isEqualTo("cloudwatch");
            assertThat(d.toJsonLine()).contains("\"record\":{\"time\"");
        });
        assertThat(deadLetters.records()).extracting(d -> d.delivery().payload()).containsExactlyInAnyOrderElementsOf(lines);
    }

    @Test
    void bufferedLinesSurviveACheckpointRestore() throws Exception {
        CloudWatchLogsSink<String> sink = sink().maxTimeInBuffer(Duration.ofMinutes(10)).build();
        List<String> lines = lines(50);
        byte[] state;
        try (TestWriterContext ctx = new TestWriterContext()) {
            StatefulSinkWriter<String, BufferedRequestState<LogLine>> w = sink.createWriter(ctx);
            for (String l : lines) {
                w.write(l, TestWriterContext.WRITE_CONTEXT);
            }
            state = sink.getWriterStateSerializer().serialize(w.snapshotState(1).get(0));
            w.close();
        }
        assertThat(fake.requests(Api.PUT_LOG_EVENTS)).isZero();
        BufferedRequestState<LogLine> restored =
                sink.getWriterStateSerializer().deserialize(sink.getWriterStateSerializer().getVersion(), state);
        try (TestWriterContext ctx = new TestWriterContext()) {
            StatefulSinkWriter<String, BufferedRequestState<LogLine>> w =
                    sink.restoreWriter(ctx, Collections.singletonList(restored));
            w.flush(true);
            w.close();
        }
        assertEachOnce(lines);
    }
}
