package io.trailguard.job.sink.aws;

import io.trailguard.job.aws.AwsConnection;
import io.trailguard.job.pipeline.DetectionPipeline;
import io.trailguard.job.sink.aws.FakeAwsEndpoint.Api;
import io.trailguard.job.sink.aws.FakeAwsEndpoint.Fault;
import io.trailguard.rules.engine.Alert;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.restartstrategy.RestartStrategies;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.time.Time;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both sinks in real Flink jobs (MiniCluster, parallelism 2) against the fake endpoint with injected faults, and a job
 * that fails once after a checkpoint and restarts from it.
 */
class AwsSinksMiniClusterTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    private static final String GROUP = "/trailguard/minicluster";
    private static FakeAwsEndpoint fake;

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
    }

    private static List<String> alertLines(int singles, int rates) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < singles; i++) {
            out.add((i % 50 == 0 ? TestAlerts.hostile("h-" + i, 20_000) : TestAlerts.single(i)).toJson());
        }
        for (int i = 0; i < rates; i++) {
            out.add(TestAlerts.rate("Rate " + (i % 3), "arn:aws:iam::" + TestAlerts.ACCOUNT + ":user/u" + i,
                    TestAlerts.T0 + i * 60_000L, 6 + i).toJson());
        }
        return out;
    }

    private static Set<String> findingIds(List<String> lines) {
        Set<String> ids = new LinkedHashSet<>();
        for (String l : lines) {
            ids.add(FindingMapper.findingId(Alert.fromJson(l)));
        }
        return ids;
    }

    private static List<String> repaired(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            out.add(Text.repairSurrogates(l));
        }
        return out;
    }

    private static StreamExecutionEnvironment env() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.getConfig().enableObjectReuse();
        DetectionPipeline.registerTypes(env);
        return env;
    }

    private static AwsConnection connection() {
        return AwsConnection.of("eu-west-1", fake.endpoint()).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    private static SecurityHubSink securityHub(CollectingDeadLetters dl) {
        return SecurityHubSink.builder().connection(connection())
                .retryPolicy(RetryPolicy.backoff(5, 50))
                .maxTimeInBuffer(Duration.ofMillis(100))
                .deadLetters(dl)
                .build();
    }

    private static CloudWatchLogsSink<String> cloudWatch(CollectingDeadLetters dl) {
        return CloudWatchLogsSink.forJsonLines().connection(connection())
                .logGroup(GROUP)
                .retryPolicy(RetryPolicy.backoff(5, 50))
                .maxTimeInBuffer(Duration.ofMillis(100))
                .maxBatchSize(200)
                .deadLetters(dl)
                .build();
    }

    @Test
    void securityHubGetsEveryAlertExactlyOncePerFindingIdDespiteFaults() throws Exception {
        fake.injectRandom(Api.SECURITY_HUB, 0.3, 42, Fault.THROTTLE, Fault.SERVER_ERROR, Fault.RESET)
                .failRandomFindings(0.1, "ThrottlingException", 7);
        List<String> lines = alertLines(400, 40);
        CollectingDeadLetters dl = new CollectingDeadLetters();

        StreamExecutionEnvironment env = env();
        env.fromData(lines).rebalance().map(Alert::fromJson).sinkTo(securityHub(dl)).name("Security Hub");
        env.execute("security hub with faults");

        assertThat(fake.violations()).isEmpty();
        assertThat(fake.faultsServed(Api.SECURITY_HUB)).isPositive();
        assertThat(fake.findings().keySet()).containsExactlyInAnyOrderElementsOf(findingIds(lines));
        assertThat(fake.importCounts()).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
        assertThat(fake.securityHubBatchSizes()).allSatisfy(n -> assertThat(n).isBetween(1, 100));
        assertThat(dl.records()).isEmpty();
    }

    @Test
    void cloudWatchGetsEveryLineExactlyOnceDespiteFaults() throws Exception {
        fake.injectRandom(Api.PUT_LOG_EVENTS, 0.3, 43, Fault.THROTTLE, Fault.SERVER_ERROR, Fault.RESET)
                .inject(Api.CREATE_LOG_STREAM, Fault.THROTTLE, 2);
        List<String> lines = alertLines(1_500, 30);
        for (int i = 0; i < 20; i++) {
            lines.add("{\"type\":\"rule_status\",\"status\":\"accepted\",\"version\":\"v" + i + "\"}");
        }
        CollectingDeadLetters dl = new CollectingDeadLetters();

        StreamExecutionEnvironment env = env();
        env.fromData(lines).rebalance().sinkTo(cloudWatch(dl)).name("CloudWatch Logs");
        env.execute("cloudwatch with faults");

        assertThat(fake.violations()).isEmpty();
        assertThat(fake.faultsServed(Api.PUT_LOG_EVENTS)).isPositive();
        // lines arrive as written (unpaired surrogates in the hostile alerts become U+FFFD)
        assertThat(fake.logMessages(GROUP)).containsExactlyInAnyOrderElementsOf(repaired(lines));
        assertThat(fake.logStreams(GROUP).keySet()).hasSize(2)
                .allSatisfy(s -> assertThat(s).matches("trailguard/[0-9a-f]{32}/[01]"));
        assertThat(fake.putLogEventsBatchCounts()).allSatisfy(n -> assertThat(n).isBetween(1, 200));
        assertThat(dl.records()).isEmpty();
    }

    @Test
    void aFailureAndRestartFromCheckpointDeliversEveryAlert() throws Exception {
        FailOnceAfterCheckpoint.reset();
        fake.injectRandom(Api.SECURITY_HUB, 0.1, 44, Fault.THROTTLE, Fault.RESET)
                .injectRandom(Api.PUT_LOG_EVENTS, 0.1, 45, Fault.SERVER_ERROR, Fault.RESET);
        List<String> lines = alertLines(600, 20);
        CollectingDeadLetters dl = new CollectingDeadLetters();

        StreamExecutionEnvironment env = env();
        env.enableCheckpointing(100);
        @SuppressWarnings("deprecation")
        RestartStrategies.RestartStrategyConfiguration restart =
                RestartStrategies.fixedDelayRestart(3, Time.milliseconds(100));
        env.setRestartStrategy(restart);
        DataStream<Alert> alerts = env.fromData(lines)
                .map(new FailOnceAfterCheckpoint(200)).setParallelism(1).name("fail once")
                .rebalance()
                .map(Alert::fromJson);
        alerts.sinkTo(securityHub(dl)).name("Security Hub");
        alerts.map(Alert::toJson).sinkTo(cloudWatch(dl)).name("CloudWatch Logs");
        env.execute("failure and restart");

        assertThat(FailOnceAfterCheckpoint.FAILED.get()).as("the job failed once after a checkpoint").isTrue();
        assertThat(fake.violations()).isEmpty();
        assertThat(dl.records()).isEmpty();
        // Security Hub: every finding, duplicates only as re-imports of the same Id
        assertThat(fake.findings().keySet()).containsExactlyInAnyOrderElementsOf(findingIds(lines));
        assertThat(fake.importCounts().values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(1));
        // CloudWatch Logs: every line at least once, nothing else
        List<String> got = fake.logMessages(GROUP);
        assertThat(new HashSet<>(got)).containsExactlyInAnyOrderElementsOf(new HashSet<>(repaired(lines)));
        assertThat(got.size()).isGreaterThanOrEqualTo(lines.size());
    }

    /**
     * Security Hub's port refuses connections for seconds mid-stream (with a 50 ms backoff cap, dozens of times the
     * old 10-attempt budget), then comes back: every finding id is imported, nothing is dead-lettered, the job never
     * failed (no restarts allowed), and checkpoints kept completing while the endpoint was down.
     */
    @Test
    void securityHubDownMidStreamLosesNoFindingAndCheckpointsGoOn() throws Exception {
        fake.startListening();
        Checkpoints.reset();
        List<String> lines = alertLines(500, 20);
        CollectingDeadLetters dl = new CollectingDeadLetters();
        StreamExecutionEnvironment env = env();
        env.enableCheckpointing(100);
        @SuppressWarnings("deprecation")
        RestartStrategies.RestartStrategyConfiguration none = RestartStrategies.noRestart();
        env.setRestartStrategy(none);
        env.fromData(lines).map(new Checkpoints(8)).setParallelism(1).rebalance().map(Alert::fromJson)
                .sinkTo(securityHub(dl)).name("Security Hub");
        Thread outage = new Thread(() -> {
            try {
                FakeAwsEndpoint.await(() -> fake.findings().size() >= 100, 60_000);
                fake.stopListening();
                long before = Checkpoints.COMPLETED.get();
                Thread.sleep(3_000); // ~60 backoffs of at most 50 ms
                Checkpoints.DURING_OUTAGE.set(Checkpoints.COMPLETED.get() - before);
                Checkpoints.IMPORTED_BEFORE_RECOVERY.set(fake.findings().size());
                fake.startListening();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "outage");
        outage.start();
        env.execute("security hub down mid-stream"); // no restarts allowed: a failure would fail the test here
        outage.join();

        assertThat(Checkpoints.IMPORTED_BEFORE_RECOVERY.get()).as("findings imported before the outage ended")
                .isBetween(100, lines.size() - 50);
        assertThat(Checkpoints.DURING_OUTAGE.get()).as("checkpoints completed while Security Hub was down")
                .isPositive();
        assertThat(fake.findings().keySet()).containsExactlyInAnyOrderElementsOf(findingIds(lines));
        assertThat(fake.violations()).isEmpty();
        assertThat(dl.records()).isEmpty();
        System.out.printf("mid-stream outage: %d findings sent, %d imported (%d before recovery), %d dead-lettered, "
                        + "%d checkpoints completed while down%n", findingIds(lines).size(), fake.findings().size(),
                Checkpoints.IMPORTED_BEFORE_RECOVERY.get(), dl.records().size(), Checkpoints.DURING_OUTAGE.get());
    }

    /**
     * Security Hub answers {@code InvalidAccessException} (not enabled) for a while: the job neither fails nor
     * restarts (no restarts allowed, and it finishes), and once Security Hub is enabled every finding is imported.
     */
    @Test
    void securityHubNotEnabledNeitherFailsNorRestartsTheJob() throws Exception {
        List<String> lines = alertLines(300, 10);
        CollectingDeadLetters dl = new CollectingDeadLetters();
        StreamExecutionEnvironment env = env();
        env.enableCheckpointing(100);
        @SuppressWarnings("deprecation")
        RestartStrategies.RestartStrategyConfiguration none = RestartStrategies.noRestart();
        env.setRestartStrategy(none);
        env.fromData(lines).map(new Checkpoints(5)).setParallelism(1).rebalance().map(Alert::fromJson)
                .sinkTo(securityHub(dl)).name("Security Hub");
        fake.outage(Api.SECURITY_HUB, Fault.INVALID_ACCESS);
        org.apache.flink.core.execution.JobClient job = env.executeAsync("security hub not enabled");
        assertThat(FakeAwsEndpoint.await(() -> fake.faultsServed(Api.SECURITY_HUB) >= 60, 60_000)).isTrue();
        assertThat(job.getJobStatus().get()).isEqualTo(org.apache.flink.api.common.JobStatus.RUNNING);
        fake.endOutage(Api.SECURITY_HUB);
        job.getJobExecutionResult().get(); // FINISHED: with no restart strategy, any failure would fail it

        assertThat(fake.findings().keySet()).containsExactlyInAnyOrderElementsOf(findingIds(lines));
        assertThat(dl.records()).isEmpty();
        assertThat(fake.violations()).isEmpty();
    }

    /** Passes records through slowly (so the stream outlasts an outage) and counts completed checkpoints. */
    static final class Checkpoints extends RichMapFunction<String, String> implements CheckpointListener {
        private static final long serialVersionUID = 1L;
        static final java.util.concurrent.atomic.AtomicLong COMPLETED = new java.util.concurrent.atomic.AtomicLong();
        static final java.util.concurrent.atomic.AtomicLong DURING_OUTAGE =
                new java.util.concurrent.atomic.AtomicLong();
        static final AtomicInteger IMPORTED_BEFORE_RECOVERY = new AtomicInteger();
        private final long sleepMs;

        Checkpoints(long sleepMs) {
            this.sleepMs = sleepMs;
        }

        static void reset() {
            COMPLETED.set(0);
            DURING_OUTAGE.set(0);
            IMPORTED_BEFORE_RECOVERY.set(0);
        }

        @Override
        public String map(String value) throws Exception {
            Thread.sleep(sleepMs);
            return value;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            COMPLETED.incrementAndGet();
        }
    }

    /** Passes records through; on the first run, slows down and throws once after a checkpoint completed. */
    static final class FailOnceAfterCheckpoint extends RichMapFunction<String, String> implements CheckpointListener {
        private static final long serialVersionUID = 1L;
        static final AtomicBoolean FAILED = new AtomicBoolean();
        static final AtomicBoolean CHECKPOINTED = new AtomicBoolean();
        static final AtomicInteger SEEN = new AtomicInteger();

        private final int after;

        FailOnceAfterCheckpoint(int after) {
            this.after = after;
        }

        static void reset() {
            FAILED.set(false);
            CHECKPOINTED.set(false);
            SEEN.set(0);
        }

        @Override
        public String map(String value) throws Exception {
            if (!FAILED.get()) {
                boolean due = SEEN.incrementAndGet() >= after;
                if (due && CHECKPOINTED.get() && FAILED.compareAndSet(false, true)) {
                    throw new IllegalStateException("injected failure after a checkpoint");
                }
                Thread.sleep(due ? 20 : 3); // leave time for a checkpoint to complete before the input runs out
            }
            return value;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            if (!FAILED.get()) {
                CHECKPOINTED.set(true);
            }
        }
    }
}
