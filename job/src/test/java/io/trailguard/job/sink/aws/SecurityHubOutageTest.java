package io.trailguard.job.sink.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trailguard.job.aws.AwsConnection;
import io.trailguard.job.sink.aws.FakeAwsEndpoint.Api;
import io.trailguard.job.sink.aws.FakeAwsEndpoint.Fault;
import io.trailguard.rules.engine.Alert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Outages and refusals of Security Hub created for real: the endpoint's port refusing connections, the endpoint
 * answering 503, Security Hub answering {@code InvalidAccessException} (not enabled), findings refused as invalid.
 * The real SDK client against {@link FakeAwsEndpoint}; the writer without a cluster (the test thread is the task
 * thread). The old fixed budget gave up after 10 attempts; these outages last {@value #OUTAGE_ATTEMPTS} attempts.
 */
class SecurityHubOutageTest {
    /** Failed attempts each outage lasts: many times the old budget of 10. */
    static final int OUTAGE_ATTEMPTS = 60;
    private static final ObjectMapper JSON = new ObjectMapper();
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
    void clean() throws Exception {
        fake.startListening();
        fake.clearFaults();
        fake.reset();
        deadLetters = new CollectingDeadLetters();
    }

    private SecurityHubSink.Builder sink() {
        return SecurityHubSink.builder()
                .connection(AwsConnection.of("us-east-1", fake.endpoint())
                        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)))
                .retryPolicy(RetryPolicy.backoff(5, 50).withReportInterval(Duration.ofMillis(500)))
                .maxTimeInBuffer(Duration.ofMillis(50))
                .deadLetters(deadLetters);
    }

    private void assertEachImportedOnce(List<Alert> alerts) {
        assertThat(fake.findings().keySet()).containsExactlyInAnyOrderElementsOf(TestAlerts.findingIds(alerts));
        assertThat(fake.importCounts()).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
        assertThat(fake.violations()).isEmpty();
    }

    /** Runs the writer's mails (timers, completions) until {@code condition} holds; bounded. */
    private static void runUntil(TestWriterContext ctx, BooleanSupplier condition, String what) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
            ctx.runMails(10);
        }
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }

    @Test
    void aPortRefusingConnectionsForManyTimesTheOldBudgetLosesNoFindingAndBackPressures() throws Exception {
        List<Alert> alerts = TestAlerts.singles(600);
        fake.stopListening();
        // a small buffer and hold: 600 alerts cannot all be taken while Security Hub is down
        SecurityHubSink sink = sink().maxBufferedRequests(150).build();
        AtomicReference<SecurityHubSinkWriter> writer = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (TestWriterContext ctx = new TestWriterContext()) {
            SecurityHubSinkWriter w = (SecurityHubSinkWriter) sink.createWriter(ctx);
            writer.set(w);
            Thread task = new Thread(() -> { // the task thread: writes, then the end of input
                try {
                    for (Alert a : alerts) {
                        w.write(a, TestWriterContext.WRITE_CONTEXT);
                    }
                    w.flush(true);
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "task");
            task.start();
            assertThat(FakeAwsEndpoint.await(() -> w.failedAttemptCount() >= OUTAGE_ATTEMPTS, 60_000))
                    .as("failed attempts while the port refuses connections").isTrue();
            long pendingWhileDown = w.pendingCount();
            // back-pressure: the writer took at most its buffer, its hold and one batch in each in-flight slot
            assertThat(task.isAlive()).isTrue();
            assertThat(pendingWhileDown).isLessThanOrEqualTo(150 + 150 + 4 * 100).isLessThan(alerts.size());
            assertThat(fake.requests(Api.SECURITY_HUB)).isZero();

            fake.startListening();
            task.join(60_000);
            assertThat(task.isAlive()).isFalse();
            assertThat(failure.get()).isNull();
            assertThat(w.deliveredCount()).isEqualTo(600);
            assertThat(w.pendingCount()).isZero();
            assertThat(w.deadLetteredCount()).isZero();
            System.out.printf("refused port: %d findings sent, %d imported, %d dead-lettered, %d failed attempts,"
                            + " %d pending at most while down%n", alerts.size(), fake.findings().size(),
                    deadLetters.records().size(), w.failedAttemptCount(), pendingWhileDown);
            w.close();
        }
        assertEachImportedOnce(alerts);
        assertThat(deadLetters.records()).isEmpty();
    }

    @Test
    void aServiceAnswering503ForManyTimesTheOldBudgetLosesNoFinding() throws Exception {
        List<Alert> alerts = TestAlerts.singles(250);
        fake.outage(Api.SECURITY_HUB, Fault.UNAVAILABLE);
        try (LogCapture logs = new LogCapture(); TestWriterContext ctx = new TestWriterContext()) {
            SecurityHubSinkWriter w = (SecurityHubSinkWriter) sink().build().createWriter(ctx);
            for (Alert a : alerts) {
                w.write(a, TestWriterContext.WRITE_CONTEXT);
            }
            runUntil(ctx, () -> fake.faultsServed(Api.SECURITY_HUB) >= OUTAGE_ATTEMPTS, "503 answers");
            assertThat(w.pendingCount()).isEqualTo(250);
            fake.endOutage(Api.SECURITY_HUB);
            w.flush(true);
            assertThat(w.deadLetteredCount()).isZero();
            int served = fake.faultsServed(Api.SECURITY_HUB);
            List<String> warnings = logs.messages("WARN", "Security Hub delivery is failing");
            // one WARN per report interval (500 ms), not one per failed attempt
            assertThat(warnings).isNotEmpty().hasSizeLessThan(served / 4);
            assertThat(warnings.get(0)).contains("endpoint " + fake.endpoint(), "ServiceUnavailableException",
                    "findings pending for");
            // logged by the redelivery thread just after the last held finding was delivered
            assertThat(FakeAwsEndpoint.await(() -> !logs.messages("INFO", "Security Hub delivery recovered")
                    .isEmpty(), 10_000)).isTrue();
            assertThat(logs.messages("INFO", "Security Hub delivery recovered")).hasSize(1);
            System.out.printf("503: %d findings sent, %d imported, %d dead-lettered, %d 503 answers, %d WARN lines%n",
                    alerts.size(), fake.findings().size(), deadLetters.records().size(), served, warnings.size());
            w.close();
        }
        assertEachImportedOnce(alerts);
    }

    @Test
    void securityHubNotEnabledHoldsTheFindingsWithOneErrorPerIntervalUntilItIs() throws Exception {
        List<Alert> alerts = TestAlerts.singles(120);
        fake.outage(Api.SECURITY_HUB, Fault.INVALID_ACCESS);
        try (LogCapture logs = new LogCapture(); TestWriterContext ctx = new TestWriterContext()) {
            SecurityHubSinkWriter w = (SecurityHubSinkWriter) sink().build().createWriter(ctx);
            for (Alert a : alerts) {
                w.write(a, TestWriterContext.WRITE_CONTEXT); // nothing throws: no job failure, no restart
            }
            long start = System.currentTimeMillis();
            runUntil(ctx, () -> fake.faultsServed(Api.SECURITY_HUB) >= OUTAGE_ATTEMPTS
                    && System.currentTimeMillis() - start >= 1_600, "InvalidAccessException answers");
            long lasted = System.currentTimeMillis() - start;
            int served = fake.faultsServed(Api.SECURITY_HUB);
            List<String> errors = logs.messages("ERROR", "Security Hub is not enabled in us-east-1 for account "
                    + TestAlerts.ACCOUNT);
            // once per 500 ms interval (plus the first), never once per batch or attempt
            assertThat(errors).hasSizeBetween(1, (int) (lasted / 500) + 2);
            assertThat(served).isGreaterThan(4 * errors.size());
            assertThat(errors.get(0)).contains("findings are held", "securityhub.on_unavailable=dead_letter",
                    "120 findings pending", "InvalidAccessException");
            assertThat(w.pendingCount()).isEqualTo(120);

            fake.endOutage(Api.SECURITY_HUB); // Security Hub enabled
            w.flush(true);
            assertThat(w.deliveredCount()).isEqualTo(120);
            System.out.printf("InvalidAccess: %d findings sent, %d imported, %d dead-lettered, %d refusals, %d ERROR"
                            + " lines in %d ms%n", alerts.size(), fake.findings().size(), deadLetters.records().size(),
                    served, errors.size(), lasted);
            w.close();
        }
        assertEachImportedOnce(alerts);
        assertThat(deadLetters.records()).isEmpty();
    }

    @Test
    void securityHubNotEnabledDeadLettersTheFindingsWhenConfigured() throws Exception {
        List<Alert> alerts = TestAlerts.singles(40);
        fake.outage(Api.SECURITY_HUB, Fault.INVALID_ACCESS);
        try (TestWriterContext ctx = new TestWriterContext()) {
            SecurityHubSinkWriter w = (SecurityHubSinkWriter) sink().onUnavailable(OnUnavailable.DEAD_LETTER).build()
                    .createWriter(ctx);
            for (Alert a : alerts) {
                w.write(a, TestWriterContext.WRITE_CONTEXT);
            }
            w.flush(true);
            assertThat(w.deadLetteredCount()).isEqualTo(40);
            assertThat(w.failedAttemptCount()).isZero();
            w.close();
        }
        assertThat(fake.findings()).isEmpty();
        assertThat(deadLetters.records()).extracting(d -> d.delivery().id())
                .containsExactlyInAnyOrderElementsOf(TestAlerts.findingIds(alerts));
        assertThat(deadLetters.records()).allSatisfy(d -> assertThat(d.delivery().errorCode()).isEqualTo("InvalidAccessException"));
    }

    @Test
    void findingsFailedWithInvalidAccessAreHeldUntilAccepted() throws Exception {
        List<Alert> alerts = TestAlerts.singles(50);
        List<String> denied = new ArrayList<>(TestAlerts.findingIds(alerts)).subList(0, 7);
        fake.failFindings(denied, "InvalidAccess", 12);
        try (TestWriterContext ctx = new TestWriterContext()) {
            SecurityHubSinkWriter w = (SecurityHubSinkWriter) sink().build().createWriter(ctx);
            for (Alert a : alerts) {
                w.write(a, TestWriterContext.WRITE_CONTEXT);
            }
            w.flush(true);
            assertThat(w.failedAttemptCount()).isEqualTo(12);
            w.close();
        }
        assertEachImportedOnce(alerts);
        assertThat(deadLetters.records()).isEmpty();
    }

    @Test
    void anInvalidFindingIsDeadLetteredWithItsReasonToCloudWatchLogsAndTheRestImported() throws Exception {
        String group = "/trailguard/dead-letters";
        SinkDeadLetters cloudWatch = SinkDeadLetters.forSpec("cloudwatch:" + group,
                AwsConnection.of("us-east-1", fake.endpoint()), true);
        List<Alert> alerts = TestAlerts.singles(80);
        List<String> bad = new ArrayList<>(TestAlerts.findingIds(alerts)).subList(10, 13);
        fake.failFindings(bad, "InvalidInput", 1_000);
        // the dead-letter stream itself throttles at first: the dead letters are retried, not lost
        fake.inject(Api.PUT_LOG_EVENTS, Fault.THROTTLE, 4);
        try (TestWriterContext ctx = new TestWriterContext()) {
            SecurityHubSinkWriter w = (SecurityHubSinkWriter) sink().deadLetters(cloudWatch).build()
                    .createWriter(ctx);
            for (Alert a : alerts) {
                w.write(a, TestWriterContext.WRITE_CONTEXT);
            }
            w.flush(true);
            assertThat(w.deadLetteredCount()).isEqualTo(3);
            assertThat(w.deliveredCount()).isEqualTo(77);
            w.close();
        }
        assertThat(fake.findings().keySet()).hasSize(77).doesNotContainAnyElementsOf(bad);
        List<String> lines = fake.logMessages(group);
        assertThat(fake.logStreams(group).keySet()).containsExactly("dead-letters/securityhub/0");
        List<String> deadIds = new ArrayList<>();
        for (String l : lines) {
            JsonNode n = JSON.readTree(l);
            assertThat(n.path("type").asText()).isEqualTo("sink_dead_letter");
            assertThat(n.path("output").asText()).isEqualTo("securityhub");
            assertThat(n.path("error_code").asText()).isEqualTo("InvalidInput");
            assertThat(n.path("error").asText()).isEqualTo("Injected failure");
            assertThat(FindingMapper.findingId(Alert.fromJson(n.path("alert").toString())))
                    .isEqualTo(n.path("id").asText());
            deadIds.add(n.path("id").asText());
        }
        // each once: a dead letter whose write failed was retried with its finding, and written once
        assertThat(deadIds).containsExactlyInAnyOrderElementsOf(bad);
        assertThat(fake.faultsServed(Api.PUT_LOG_EVENTS)).isEqualTo(4);
        assertThat(fake.violations()).isEmpty();
    }
}
