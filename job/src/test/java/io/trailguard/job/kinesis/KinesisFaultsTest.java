package io.trailguard.job.kinesis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.TestEvents;
import io.trailguard.job.TestRules;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.pipeline.StreamingJob;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.ScalingType;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.trailguard.job.kinesis.KinesisJobHarness.alerts;
import static io.trailguard.job.kinesis.KinesisJobHarness.await;
import static io.trailguard.job.kinesis.KinesisJobHarness.config;
import static io.trailguard.job.kinesis.KinesisJobHarness.putEvents;
import static io.trailguard.job.kinesis.KinesisJobHarness.start;
import static io.trailguard.job.kinesis.KinesisJobHarness.status;
import static io.trailguard.job.kinesis.KinesisJobHarness.statuses;
import static io.trailguard.job.kinesis.KinesisJobHarness.stop;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kinesis faults against kinesis-local (kinesis-mock 0.6.2), the job in a MiniCluster at parallelism 2: a missing
 * control stream at start-up, resharding while the job runs, and reads slowed to a trickle. Skipped like
 * {@link KinesisEndToEndTest} when kinesis-local is not installed.
 */
class KinesisFaultsTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    private static final String CREATE_USER = "Create IAM User";
    private static KinesisLocal kinesis;
    private static KinesisClient client;

    @BeforeAll
    static void startKinesis() throws Exception {
        kinesis = KinesisLocal.start("nocontrol-events:2,reshard-events:2,slow-events:2,throttled-events:2",
                Arrays.asList("nocontrol-events", "reshard-events", "slow-events", "throttled-events"));
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

    /** {@code n} CreateUser records with event ids {@code prefix0..}, a second apart. */
    private static List<ObjectNode> createUsers(String prefix, int from, int n) {
        List<ObjectNode> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add(TestEvents.record("iam.amazonaws.com", "CreateUser", prefix + i,
                    java.time.Instant.parse("2026-02-01T10:00:00Z").plusSeconds(i).toString()));
        }
        return out;
    }

    private static Set<String> expected(String prefix, int n) {
        Set<String> s = new HashSet<>();
        for (int i = 0; i < n; i++) {
            s.add(CREATE_USER + "@" + prefix + i);
        }
        return s;
    }

    private static Map<String, Long> counts(Path file) {
        return alerts(file).stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    /** Every expected alert is there, exactly once, and nothing else. */
    private static void assertExactlyOnce(Path file, Set<String> expected) {
        Map<String, Long> counts = counts(file);
        assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(counts.entrySet().stream().filter(e -> e.getValue() != 1).map(Map.Entry::getKey))
                .as("alerts emitted more than once").isEmpty();
    }

    /** Collects WARN and above on the root logger. */
    static final class Warnings extends AbstractAppender {
        final List<String> lines = new CopyOnWriteArrayList<>();

        Warnings() {
            super("faults-capture", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent e) {
            lines.add(e.getLevel() + " " + e.getLoggerName() + " " + e.getMessage().getFormattedMessage());
        }
    }

    /**
     * The control stream does not exist when the job starts. The start-up scan says so at WARN and the job starts with
     * the default rules; the control source waits for its stream (ControlStreamConsumer) instead of failing, so
     * events are evaluated with the default rules meanwhile and the job stays RUNNING. Once the stream exists, a
     * bundle published to it is accepted, and every event alerts exactly once.
     */
    @Test
    void aMissingControlStreamAtStartUpRunsTheDefaultRulesOnceItExists(@TempDir Path out) throws Exception {
        String control = "late-control";
        TrailguardConfig config = config(kinesis, "nocontrol-events", control, out)
                .with("control.bootstrap_timeout", "5s");
        Warnings warnings = new Warnings();
        warnings.start();
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration cfg = ctx.getConfiguration();
        cfg.addAppender(warnings);
        cfg.getRootLogger().addAppender(warnings, Level.WARN, null);
        ctx.updateLoggers();
        RuleBundle startup;
        try {
            startup = StreamingJob.startupBundle(config, TestRules.base());
        } finally {
            cfg.getRootLogger().removeAppender(warnings.getName());
            ctx.updateLoggers();
            warnings.stop();
        }
        assertThat(startup.hash()).isEqualTo(TestRules.base().hash());
        assertThat(warnings.lines).anySatisfy(l -> assertThat(l)
                .startsWith("WARN io.trailguard.job.pipeline.StreamingJob control stream")
                .contains(control).contains("cannot read control stream")
                .contains("starting with the default rules base"));

        JobClient job = start(config, startup, "faults: no control stream");
        try {
            Path alertsFile = out.resolve("alerts.jsonl");
            putEvents(client, "nocontrol-events", createUsers("nc", 0, 20));
            // the job runs on the default rules while the control stream is missing
            await("20 alerts while the control stream is missing", () -> counts(alertsFile).size() == 20);
            assertThat(status(job)).isEqualTo(JobStatus.RUNNING);
            client.createStream(b -> b.streamName(control).shardCount(1));
            awaitActive(control);
            // once the stream exists, the control source reads it: a bundle published now is accepted
            RuleBundle v2 = TestRules.basePlus("v2-late", "extra.yaml", TestRules.ACCESS_KEY_RULE);
            BundlePublisher.publish(client, control, v2);
            await("v2-late accepted", () -> statuses(alertsFile, "accepted").stream()
                    .anyMatch(n -> n.get("version").asText().equals("v2-late")));
            putEvents(client, "nocontrol-events", createUsers("nc", 20, 5));
            await("25 alerts", () -> counts(alertsFile).size() == 25);
            Thread.sleep(2000);
            assertExactlyOnce(alertsFile, expected("nc", 25));
            List<JsonNode> active = statuses(alertsFile, "active");
            assertThat(active).isNotEmpty().allSatisfy(n -> {
                assertThat(n.get("version").asText()).isEqualTo("base");
                assertThat(n.get("detail").asText()).isEqualTo("start-up rules");
            });
            assertThat(status(job)).isEqualTo(JobStatus.RUNNING);
        } finally {
            stop(job);
        }
    }

    private static List<Shard> shards(String stream) {
        return client.listShards(b -> b.streamName(stream)).shards();
    }

    private static List<Shard> openShards(String stream) {
        return shards(stream).stream().filter(s -> s.sequenceNumberRange().endingSequenceNumber() == null)
                .sorted(Comparator.comparing(s -> new BigInteger(s.hashKeyRange().startingHashKey())))
                .collect(Collectors.toList());
    }

    private static void awaitActive(String stream) throws InterruptedException {
        await(stream + " ACTIVE", () -> client.describeStreamSummary(b -> b.streamName(stream))
                .streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);
    }

    /**
     * kinesis-mock implements UpdateShardCount (UNIFORM_SCALING) and MergeShards: the stream goes from 2 to 4 open
     * shards and back to 3 while the job runs. The consumer discovers the children (discovery every 500 ms), reads
     * the closed parents to their end, and every event alerts exactly once.
     */
    @Test
    void reshardingWhileTheJobRunsLosesAndRepeatsNothing(@TempDir Path out) throws Exception {
        String stream = "reshard-events";
        TrailguardConfig config = config(kinesis, stream, null, out)
                .with("kinesis.flink.shard.discovery.intervalmillis", "500");
        JobClient job = start(config, TestRules.base(), "faults: resharding");
        try {
            Path alertsFile = out.resolve("alerts.jsonl");
            putEvents(client, stream, createUsers("rs", 0, 100));
            await("first 100 alerts", () -> counts(alertsFile).size() == 100);

            try {
                client.updateShardCount(b -> b.streamName(stream).targetShardCount(4)
                        .scalingType(ScalingType.UNIFORM_SCALING));
            } catch (KinesisException e) {
                Assumptions.abort("kinesis-local does not support UpdateShardCount: " + e.getMessage());
            }
            awaitActive(stream);
            assertThat(openShards(stream)).hasSize(4);
            Set<String> parents = shards(stream).stream()
                    .filter(s -> s.sequenceNumberRange().endingSequenceNumber() != null).map(Shard::shardId)
                    .collect(Collectors.toSet());
            assertThat(parents).hasSize(2);
            // more events while the job discovers the new shards
            List<String> landed = putEvents(client, stream, createUsers("rs", 100, 100));
            assertThat(landed).as("events on the new shards").noneMatch(parents::contains);
            await("200 alerts after the split", () -> counts(alertsFile).size() == 200);

            List<Shard> open = openShards(stream);
            try {
                client.mergeShards(b -> b.streamName(stream).shardToMerge(open.get(0).shardId())
                        .adjacentShardToMerge(open.get(1).shardId()));
            } catch (KinesisException e) {
                Assumptions.abort("kinesis-local does not support MergeShards: " + e.getMessage());
            }
            awaitActive(stream);
            assertThat(openShards(stream)).hasSize(3);
            putEvents(client, stream, createUsers("rs", 200, 100));
            await("300 alerts after the merge", () -> counts(alertsFile).size() == 300);
            Thread.sleep(3000);
            assertExactlyOnce(alertsFile, expected("rs", 300));
            assertThat(status(job)).isEqualTo(JobStatus.RUNNING);
        } finally {
            stop(job);
        }
    }

    /** True when kinesis-local answers GetRecords calls beyond Kinesis' 5 per second per shard with a throttle. */
    private static int throttledOf(String stream, int calls) {
        String shard = shards(stream).get(0).shardId();
        String it = client.getShardIterator(b -> b.streamName(stream).shardId(shard)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        int throttled = 0;
        for (int i = 0; i < calls; i++) {
            try {
                final String current = it;
                it = client.getRecords(b -> b.shardIterator(current).limit(1)).nextShardIterator();
            } catch (ProvisionedThroughputExceededException e) {
                throttled++;
            }
        }
        return throttled;
    }

    /**
     * kinesis-mock 0.6.2 does not throttle reads (no GetRecords rate limit, no setting for one; probed below), so
     * throttling is approximated by a consumer reading 2 records per GetRecords call while 600 records wait: the
     * source lags far behind the producer for seconds, and every event still alerts exactly once.
     */
    @Test
    void slowReadsCatchUpWithoutLosingOrRepeating(@TempDir Path out) throws Exception {
        String stream = "slow-events";
        putEvents(client, stream, createUsers("probe-", 0, 1));
        int throttled = throttledOf(stream, 30);
        System.err.println("kinesis-local: " + throttled + " of 30 back-to-back GetRecords calls on one shard "
                + "were throttled (real Kinesis allows 5 per second per shard)");

        TrailguardConfig config = config(kinesis, stream, null, out)
                .with("kinesis.flink.shard.getrecords.maxrecordcount", "2")
                .with("kinesis.flink.shard.getrecords.intervalmillis", "50");
        putEvents(client, stream, createUsers("sl", 0, 600));
        long started = System.nanoTime();
        JobClient job = start(config, TestRules.base(), "faults: slow reads");
        try {
            Path alertsFile = out.resolve("alerts.jsonl");
            await("601 alerts", () -> counts(alertsFile).size() == 601);
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            System.err.println("slow reads: 601 alerts after " + seconds + " s");
            Thread.sleep(2000);
            Set<String> all = expected("sl", 600);
            all.add(CREATE_USER + "@probe-0");
            assertExactlyOnce(alertsFile, all);
        } finally {
            stop(job);
        }
    }

    /**
     * Real read throttling: a proxy in front of kinesis-local answers every third GetRecords call with
     * ProvisionedThroughputExceededException (JSON protocol: the connector's CBOR is switched off for this test). The
     * consumer backs off and retries; every event alerts exactly once.
     */
    @Test
    void throttledReadsAreRetriedAndLoseNothing(@TempDir Path out) throws Exception {
        String stream = "throttled-events";
        putEvents(client, stream, createUsers("th", 0, 200));
        String cbor = "org.apache.flink.kinesis.shaded.com.amazonaws.sdk.disableCbor";
        String before = System.getProperty(cbor);
        System.setProperty(cbor, "true");
        try (ThrottlingProxy proxy = new ThrottlingProxy(kinesis.endpoint(), 3)) {
            TrailguardConfig config = config(kinesis, stream, null, out)
                    .with("aws.endpoint", proxy.endpoint())
                    .with("kinesis.flink.shard.getrecords.maxrecordcount", "20")
                    .with("kinesis.flink.shard.getrecords.maxretries", "50")
                    .with("kinesis.flink.shard.getrecords.backoff.base", "50")
                    .with("kinesis.flink.shard.getrecords.backoff.max", "500");
            JobClient job = start(config, TestRules.base(), "faults: throttled reads");
            try {
                Path alertsFile = out.resolve("alerts.jsonl");
                await("200 alerts", () -> counts(alertsFile).size() == 200);
                Thread.sleep(2000);
                assertExactlyOnce(alertsFile, expected("th", 200));
                assertThat(proxy.throttled()).as("GetRecords calls answered with a throttling error").isPositive();
                assertThat(status(job)).isEqualTo(JobStatus.RUNNING);
                System.err.println("throttled reads: " + proxy.throttled() + " GetRecords calls throttled, "
                        + "200 alerts exactly once");
            } finally {
                stop(job);
            }
        } finally {
            if (before == null) {
                System.clearProperty(cbor);
            } else {
                System.setProperty(cbor, before);
            }
        }
    }
}
