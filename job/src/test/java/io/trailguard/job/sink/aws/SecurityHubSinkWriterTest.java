package io.trailguard.job.sink.aws;

import io.trailguard.job.testing.AlertParts;
import com.fasterxml.jackson.databind.JsonNode;
import io.trailguard.job.aws.AwsConnection;
import io.trailguard.job.sink.aws.FakeAwsEndpoint.Api;
import io.trailguard.job.sink.aws.FakeAwsEndpoint.Fault;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.event.DeadLetter;
import org.apache.flink.api.connector.sink2.StatefulSink.StatefulSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The Security Hub writer against the fake endpoint, through the real SDK client (no Flink cluster). */
class SecurityHubSinkWriterTest {
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

    private SecurityHubSink.Builder sink() {
        return SecurityHubSink.builder()
                .connection(AwsConnection.of("us-east-1", fake.endpoint())
                        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)))
                .retryPolicy(RetryPolicy.backoff(5, 40))
                .maxTimeInBuffer(Duration.ofMillis(50))
                .deadLetters(deadLetters);
    }

    /** Writes the alerts, flushes as a checkpoint would, and returns the writer's counters. */
    private static SecurityHubSinkWriter run(SecurityHubSink sink, List<Alert> alerts) throws Exception {
        try (TestWriterContext ctx = new TestWriterContext()) {
            SecurityHubSinkWriter w = (SecurityHubSinkWriter) sink.createWriter(ctx);
            try {
                for (Alert a : alerts) {
                    w.write(a, TestWriterContext.WRITE_CONTEXT);
                }
                w.flush(true);
                return w;
            } finally {
                w.close();
            }
        }
    }

    private void assertEachImportedOnce(List<Alert> alerts) {
        Set<String> expected = TestAlerts.findingIds(alerts);
        assertThat(fake.findings().keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(fake.importCounts()).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
    }

    private static Alert large(int i) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int f = 0; f < 45; f++) {
            fields.put("field." + f, TestAlerts.repeat("v" + i + " ", 700));
        }
        return AlertParts.of(TestAlerts.iso(TestAlerts.T0), TestAlerts.T0, "Large", "Error", "aws_cloudtrail",
                Collections.singletonList("attack.collection"), "large alert " + i, fields, "h", "large-" + i,
                TestAlerts.ACCOUNT, "us-east-1");
    }

    @Test
    void batchesNeverExceedTheLimitsWithManyAndLargeAlerts() throws Exception {
        List<Alert> alerts = TestAlerts.singles(640);
        for (int i = 0; i < 30; i++) {
            alerts.add(i < 10 ? i * 20 : alerts.size(), large(i)); // some among small ones, the rest in a row
        }
        SecurityHubSinkWriter w = run(sink().build(), alerts);

        assertThat(fake.violations()).isEmpty();
        assertEachImportedOnce(alerts);
        assertThat(fake.securityHubBatchSizes()).allSatisfy(n -> assertThat(n).isBetween(1, 100))
                .contains(100);
        assertThat(fake.securityHubBodyBytes()).allSatisfy(b -> assertThat(b).isLessThanOrEqualTo(240 * 1024))
                .anySatisfy(b -> assertThat(b).isGreaterThan(160 * 1024)); // large findings fill batches by bytes
        assertThat(w.deliveredCount()).isEqualTo(alerts.size());
        assertThat(w.deadLetteredCount()).isZero();
        assertThat(deadLetters.records()).isEmpty();
    }

    @Test
    void theSizeEstimateBoundsTheRealRequestBody() throws Exception {
        Alert a = TestAlerts.single(1);
        FindingEntry entry = FindingEntry.of(a, new FindingMapper("us-east-1"));
        run(sink().build(), Collections.singletonList(a));
        int body = fake.securityHubBodyBytes().get(0);
        // {"Findings":[ + finding + ]}; the entry counts one comma
        assertThat((long) body).isLessThanOrEqualTo(entry.sizeInBytes() + SecurityHubSink.ENVELOPE_BYTES)
                .isGreaterThan(entry.sizeInBytes() - 64);
    }

    @Test
    void throttlingServerErrorsAndResetsAreRetriedWithoutDuplicates() throws Exception {
        fake.inject(Api.SECURITY_HUB, Fault.THROTTLE, 3)
                .inject(Api.SECURITY_HUB, Fault.SERVER_ERROR, 2)
                .inject(Api.SECURITY_HUB, Fault.RESET, 2);
        List<Alert> alerts = TestAlerts.singles(250);
        SecurityHubSinkWriter w = run(sink().build(), alerts);

        assertThat(fake.faultsServed(Api.SECURITY_HUB)).isEqualTo(7);
        assertThat(fake.violations()).isEmpty();
        assertEachImportedOnce(alerts);
        assertThat(w.retriedCount()).isPositive();
        assertThat(w.deadLetteredCount()).isZero();
    }

    @Test
    void partialFailuresRetryOnlyTheFailedFindings() throws Exception {
        List<Alert> alerts = TestAlerts.singles(150);
        List<String> failing = new ArrayList<>(TestAlerts.findingIds(alerts)).subList(0, 10);
        fake.failFindings(failing, "InternalException", 2);
        SecurityHubSinkWriter w = run(sink().build(), alerts);

        assertEachImportedOnce(alerts);
        // 150 first sends plus two more of each failed finding: only they were sent again, never their batch
        assertThat(fake.securityHubBatchSizes().stream().mapToInt(Integer::intValue).sum())
                .isEqualTo(150 + 2 * 10);
        assertThat(w.retriedCount()).isEqualTo(20);
        assertThat(w.deadLetteredCount()).isZero();
    }

    @Test
    void permanentFailuresAreDeadLetteredAtOnce() throws Exception {
        List<Alert> alerts = TestAlerts.singles(40);
        List<String> bad = new ArrayList<>(TestAlerts.findingIds(alerts)).subList(5, 8);
        fake.failFindings(bad, "InvalidInput", 1);
        SecurityHubSinkWriter w = run(sink().build(), alerts);

        assertThat(fake.findings()).hasSize(37).doesNotContainKeys(bad.toArray(new String[0]));
        assertThat(w.deadLetteredCount()).isEqualTo(3);
        List<DeadLetter> dl = deadLetters.records();
        assertThat(dl).extracting(d -> d.delivery().id()).containsExactlyInAnyOrderElementsOf(bad);
        assertThat(dl).allSatisfy(d -> {
            DeadLetter.Delivery r = d.delivery();
            assertThat(r.errorCode()).isEqualTo("InvalidInput");
            assertThat(r.attempts()).isEqualTo(1);
            assertThat(r.output()).isEqualTo("securityhub");
            assertThat(FindingMapper.findingId(Alert.fromJson(r.payload()))).isEqualTo(r.id());
            assertThat(d.toJsonLine()).contains("\"type\":\"sink_dead_letter\"", "\"alert\":{");
        });
    }

    @Test
    void findingsStillFailingAtAConfiguredLimitAreDeadLettered() throws Exception {
        List<Alert> alerts = TestAlerts.singles(30);
        List<String> stuck = new ArrayList<>(TestAlerts.findingIds(alerts)).subList(0, 5);
        fake.failFindings(stuck, "ThrottlingException", 1_000);
        SecurityHubSinkWriter w = run(sink().retryPolicy(RetryPolicy.backoff(5, 20).withLimit(RetryLimit.attempts(3)))
                .build(), alerts);

        assertThat(fake.findings()).hasSize(25);
        assertThat(w.deadLetteredCount()).isEqualTo(5);
        assertThat(deadLetters.records()).allSatisfy(d -> {
            assertThat(d.delivery().attempts()).isEqualTo(3);
            assertThat(d.delivery().errorCode()).isEqualTo("ThrottlingException");
            assertThat(d.delivery().error()).startsWith("retry limit (3 attempts) reached");
        });
        assertThat(fake.securityHubBatchSizes()).containsExactly(30, 5, 5);
    }

    @Test
    void aRefusedBatchIsSplitToIsolateTheBadFinding() throws Exception {
        fake.inject(Api.SECURITY_HUB, Fault.REJECT, 1);
        List<Alert> alerts = TestAlerts.singles(64);
        SecurityHubSinkWriter w = run(sink().build(), alerts);
        assertEachImportedOnce(alerts);
        assertThat(w.deadLetteredCount()).isZero();
        assertThat(fake.securityHubBatchSizes()).containsExactly(32, 32);
    }

    @Test
    void aSlowResponseIsRetriedAndReImportsTheSameId() throws Exception {
        fake.slowMillis(1_500).inject(Api.SECURITY_HUB, Fault.SLOW, 1);
        List<Alert> alerts = TestAlerts.singles(20);
        SecurityHubSink sink = sink().connection(AwsConnection.of("us-east-1", fake.endpoint())
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(700))).build();
        SecurityHubSinkWriter w = run(sink, alerts);
        assertThat(FakeAwsEndpoint.await(() -> fake.importCounts().values().stream().allMatch(n -> n == 2), 5_000))
                .isTrue();
        assertThat(fake.findings().keySet()).containsExactlyInAnyOrderElementsOf(TestAlerts.findingIds(alerts));
        assertThat(w.retriedCount()).isEqualTo(20);
        assertThat(fake.violations()).isEmpty();
    }

    @Test
    void hostileAlertsArriveValidAndTruncated() throws Exception {
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            alerts.add(TestAlerts.hostile("hostile-" + i, 1_048_576));
        }
        alerts.add(TestAlerts.rate("Rate %s\n", "arn:aws:iam::" + TestAlerts.ACCOUNT + ":user/x", TestAlerts.T0, 30_000));
        run(sink().build(), alerts);

        assertThat(fake.violations()).isEmpty();
        assertEachImportedOnce(alerts);
        FindingMapper mapper = new FindingMapper("us-east-1");
        for (Alert a : alerts) {
            JsonNode stored = fake.findings().get(FindingMapper.findingId(a));
            assertThat(stored.path("Title").asText()).isEqualTo(mapper.map(a).title());
            assertThat(stored.path("Description").asText()).isEqualTo(mapper.map(a).description());
        }
        JsonNode h = fake.findings().get(FindingMapper.findingId(alerts.get(0)));
        assertThat(h.path("ProductFields").path("trailguard/UserAgent").asText()).startsWith("Mozilla/5.0 %s %n %%")
                .hasSizeBetween(2040, 2048);
        assertThat(h.path("ProductFields").path("trailguard/SourceIp").asText()).isEqualTo("%s%s%s");
        assertThat(h.path("Description").asText()).contains("line1\nline2\r\n\ttab");
    }

    @Test
    void edgeCaseAlertsFromTheResourceFileAreImportedValid() throws Exception {
        List<Alert> alerts = new ArrayList<>();
        for (String l : TestAlerts.edgeCaseLines()) {
            alerts.add(Alert.fromJson(l));
        }
        run(sink().fallbackAccountId(TestAlerts.ACCOUNT).build(), alerts);
        assertThat(fake.violations()).isEmpty();
        assertEachImportedOnce(alerts);
        Map<String, JsonNode> stored = fake.findings();
        JsonNode sigma = stored.get(FindingMapper.findingId(alerts.get(0)));
        assertThat(sigma.path("Severity").path("Label").asText()).isEqualTo("HIGH");
        assertThat(sigma.path("Types").get(0).asText()).isEqualTo("TTPs/Initial Access");
        assertThat(sigma.path("Resources").get(0).path("Id").asText()).isEqualTo("arn:aws:iam::123456789012:root");
        assertThat(sigma.path("ProductFields").path("trailguard/SourceIp").asText()).isEqualTo("198.51.100.9");
        JsonNode china = stored.get(FindingMapper.findingId(alerts.get(6)));
        assertThat(china.path("AwsAccountId").asText()).isEqualTo("210987654321");
        assertThat(china.path("Resources").toString()).contains("arn:aws-cn:ec2:cn-north-1:210987654321:instance/",
                "AwsKmsKey");
    }

    @Test
    void accessDeniedHoldsTheFindingsUntilTheServiceAcceptsThem() throws Exception {
        fake.inject(Api.SECURITY_HUB, Fault.DENY, 3);
        List<Alert> alerts = TestAlerts.singles(5);
        SecurityHubSinkWriter w = run(sink().build(), alerts);
        assertThat(fake.faultsServed(Api.SECURITY_HUB)).isEqualTo(3);
        assertEachImportedOnce(alerts);
        assertThat(w.failedAttemptCount()).isEqualTo(3);
        assertThat(deadLetters.records()).isEmpty();
    }

    @Test
    void bufferedFindingsSurviveACheckpointRestore() throws Exception {
        SecurityHubSink sink = sink().maxTimeInBuffer(Duration.ofMinutes(10)).build();
        List<Alert> alerts = TestAlerts.singles(60);
        alerts.add(TestAlerts.rate("Rate", "arn:aws:iam::" + TestAlerts.ACCOUNT + ":user/x", TestAlerts.T0, 7));
        byte[] state;
        try (TestWriterContext ctx = new TestWriterContext()) {
            StatefulSinkWriter<Alert, BufferedRequestState<FindingEntry>> w = sink.createWriter(ctx);
            for (Alert a : alerts) {
                w.write(a, TestWriterContext.WRITE_CONTEXT);
            }
            List<BufferedRequestState<FindingEntry>> snapshot = w.snapshotState(1);
            assertThat(snapshot.get(0).getBufferedRequestEntries()).hasSize(61);
            state = sink.getWriterStateSerializer().serialize(snapshot.get(0));
            w.close(); // a failure: nothing was sent
        }
        assertThat(fake.requests(Api.SECURITY_HUB)).isZero();

        BufferedRequestState<FindingEntry> restored =
                sink.getWriterStateSerializer().deserialize(sink.getWriterStateSerializer().getVersion(), state);
        try (TestWriterContext ctx = new TestWriterContext()) {
            StatefulSinkWriter<Alert, BufferedRequestState<FindingEntry>> w =
                    sink.restoreWriter(ctx, Collections.singletonList(restored));
            w.flush(true);
            w.close();
        }
        assertEachImportedOnce(alerts);
        assertThat(fake.violations()).isEmpty();
    }
}
