package io.trailguard.job.sink.aws;

import com.fasterxml.jackson.databind.JsonNode;
import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.output.AlertOutputs;
import io.trailguard.job.pipeline.DetectionPipeline;
import io.trailguard.job.pipeline.DetectionStreams;
import io.trailguard.job.pipeline.PipelineOutput;
import io.trailguard.job.recovery.RetainedCheckpoints;
import io.trailguard.job.serde.AlertTypeInfo;
import io.trailguard.job.serde.JobJson;
import io.trailguard.rules.engine.Alert;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.source.SourceFunction;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The finding times survive a restore: a job with the OCSF line output and the Security Hub output (against the fake
 * endpoint) gets a rate finding and ends, after a savepoint or after a retained checkpoint (cancelled: what a crash
 * leaves to resume from); the same job restored from that snapshot gets the same rate finding again (the window
 * fired again with a higher count). By finding id: it keeps its first CreatedAt in both outputs, gets a later
 * UpdatedAt, and its OCSF version is an Update. The same job started without the snapshot (empty state) writes the
 * finding as new, so the check depends on the restored state.
 */
class FindingTimesRestoreTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    private static final String PRINCIPAL = "arn:aws:iam::" + TestAlerts.ACCOUNT + ":user/mallory";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static FakeAwsEndpoint fake;

    @BeforeAll
    static void start() throws Exception {
        fake = new FakeAwsEndpoint();
        fake.startListening();
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    @Test
    void aRateFindingFiringAgainAfterASavepointRestoreKeepsItsCreatedAtInEveryOutput(@TempDir Path dir)
            throws Exception {
        firesAgainAfterARestore(dir, false);
    }

    @Test
    void aRateFindingFiringAgainAfterACheckpointRestoreKeepsItsCreatedAtInEveryOutput(@TempDir Path dir)
            throws Exception {
        firesAgainAfterARestore(dir, true);
    }

    /**
     * Run 1 gets the first version and ends (cancelled after a savepoint, or after a retained checkpoint that was
     * triggered once both outputs had the version: what a crash leaves); run 2 is restored from that snapshot and
     * gets the second version; run 3 starts empty and gets it again.
     */
    private static void firesAgainAfterARestore(Path dir, boolean fromCheckpoint) throws Exception {
        fake.reset();
        Lines.QUEUE.clear();
        Path ocsf = dir.resolve("findings.ocsf.jsonl");
        Path checkpoints = dir.resolve("checkpoints");
        Alert before = TestAlerts.rate("Many failed calls", PRINCIPAL, TestAlerts.T0, 6);
        Alert after = TestAlerts.rate("Many failed calls", PRINCIPAL, TestAlerts.T0, 9);
        String id = FindingMapper.findingId(before);
        assertThat(FindingMapper.findingId(after)).as("the same window: one finding").isEqualTo(id);

        // first run: the finding is created; a snapshot, then the run ends
        JobClient first = submit(ocsf, fromCheckpoint ? checkpoints : null, null);
        Lines.QUEUE.put(before.toJson());
        await(() -> lines(ocsf).size() == 1 && importCount(id) == 1, "the first version in both outputs");
        JsonNode created = lines(ocsf).get(0);
        JsonNode asffCreated = fake.findings().get(id);
        String snapshot;
        if (fromCheckpoint) {
            // checkpoints are one at a time: the one after the next was triggered after the outputs had the version
            long seen = newestCheckpointId(checkpoints);
            await(() -> newestCheckpointId(checkpoints) >= seen + 2, "a checkpoint taken after the first version");
            first.cancel().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            await(() -> Lines.running == 0, "the first run's source has stopped");
            snapshot = RetainedCheckpoints.scan(checkpoints.toUri().toString()).newest().path();
        } else {
            snapshot = first.triggerSavepoint(dir.resolve("savepoints").toUri().toString(),
                    SavepointFormatType.CANONICAL).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            first.cancel().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            await(() -> Lines.running == 0, "the first run's source has stopped");
        }

        // second run, restored: the finding fires again
        JobClient second = submit(ocsf, null, snapshot);
        Lines.QUEUE.put(after.toJson());
        await(() -> lines(ocsf).size() == 2 && importCount(id) == 2, "the second version in both outputs");
        JsonNode updated = lines(ocsf).get(1);
        JsonNode asffUpdated = fake.findings().get(id);
        second.cancel().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        await(() -> Lines.running == 0, "the second run's source has stopped");

        long createdAt = created.path("finding_info").path("created_time").asLong();
        assertThat(created.path("finding_info").path("uid").asText()).isEqualTo(id);
        assertThat(created.path("activity_id").asInt()).as("first version: Create").isEqualTo(1);
        assertThat(asffCreated.path("CreatedAt").asText()).as("ASFF and OCSF agree")
                .isEqualTo(FindingMapper.formatTime(createdAt));

        assertThat(updated.path("finding_info").path("uid").asText()).isEqualTo(id);
        assertThat(updated.path("activity_id").asInt()).as("after the restore: Update").isEqualTo(2);
        assertThat(updated.path("activity_name").asText()).isEqualTo("Update");
        assertThat(updated.path("finding_info").path("created_time").asLong()).as("first CreatedAt kept")
                .isEqualTo(createdAt);
        long updatedAt = updated.path("finding_info").path("modified_time").asLong();
        assertThat(updatedAt).as("a later UpdatedAt")
                .isGreaterThan(created.path("finding_info").path("modified_time").asLong());
        assertThat(updated.path("count").asInt()).isEqualTo(9);
        assertThat(asffUpdated.path("CreatedAt").asText()).as("ASFF keeps the first CreatedAt")
                .isEqualTo(FindingMapper.formatTime(createdAt));
        assertThat(asffUpdated.path("UpdatedAt").asText()).isEqualTo(FindingMapper.formatTime(updatedAt));

        // control: the same job without the snapshot has no times for the id, so the finding is new again
        JobClient fresh = submit(ocsf, null, null);
        Lines.QUEUE.put(after.toJson());
        await(() -> lines(ocsf).size() == 3 && importCount(id) == 3, "the version of the fresh run");
        JsonNode reborn = lines(ocsf).get(2);
        fresh.cancel().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        await(() -> Lines.running == 0, "the fresh run's source has stopped");
        assertThat(reborn.path("activity_id").asInt()).isEqualTo(1);
        assertThat(reborn.path("finding_info").path("created_time").asLong()).isGreaterThan(updatedAt);
    }

    /** The id of the newest complete checkpoint retained in the directory; 0 when there is none yet. */
    private static long newestCheckpointId(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                return 0;
            }
            RetainedCheckpoints.Snapshot s = RetainedCheckpoints.scan(dir.toUri().toString()).newest();
            return s == null ? 0 : s.id();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /**
     * The job: alert lines from {@link Lines} into the OCSF and Security Hub outputs of {@link AlertOutputs};
     * checkpoints every 100 ms retained in {@code checkpoints} when it is not null; restored from {@code snapshot}
     * when that is not null.
     */
    private static JobClient submit(Path ocsf, Path checkpoints, String snapshot) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        if (checkpoints != null) {
            Configuration conf = new Configuration();
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
            conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
            env.configure(conf);
            env.enableCheckpointing(100);
        }
        DetectionPipeline.registerTypes(env);
        DataStream<Alert> alerts = env.addSource(new Lines(), "Alert lines", Types.STRING)
                .setParallelism(1).uid("alert-lines")
                .map(Alert::fromJson).returns(AlertTypeInfo.INSTANCE).uid("parse-alerts");
        TrailguardConfig config = TrailguardConfig.empty()
                .with("aws.region", "eu-west-1")
                .with("aws.endpoint", fake.endpoint())
                .with("securityhub.flush", "100ms")
                .with("sink.dead_letter", "log");
        List<PipelineOutput> outputs = AlertOutputs.create(List.of("ocsf:" + ocsf, "securityhub"),
                AlertOutputs.Mode.RUN, "finding-times-test", config);
        DetectionStreams streams = new DetectionStreams(alerts, null, null);
        for (PipelineOutput o : outputs) {
            o.attach(streams);
        }
        StreamGraph graph = env.getStreamGraph();
        if (snapshot != null) {
            graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(snapshot, false));
        }
        JobClient job = env.executeAsync(graph);
        await(() -> Lines.running == 1, "the source runs");
        return job;
    }

    private static int importCount(String id) {
        Integer n = fake.importCounts().get(id);
        return n == null ? 0 : n;
    }

    private static List<JsonNode> lines(Path file) {
        List<JsonNode> out = new ArrayList<>();
        try {
            if (!Files.exists(file)) {
                return out;
            }
            for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!l.isBlank()) {
                    out.add(JobJson.mapper().readTree(l));
                }
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Polls until the condition holds (a job's progress in another thread), failing after {@link #WAIT}. */
    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** An unbounded source of the lines put into {@link #QUEUE}, until it is cancelled. */
    private static final class Lines implements SourceFunction<String> {
        private static final long serialVersionUID = 1L;
        static final BlockingQueue<String> QUEUE = new LinkedBlockingQueue<>();
        static volatile int running;
        private volatile boolean cancelled;

        @Override
        public void run(SourceContext<String> ctx) throws Exception {
            running++;
            try {
                while (!cancelled) {
                    String line = QUEUE.poll(20, TimeUnit.MILLISECONDS);
                    if (line != null) {
                        synchronized (ctx.getCheckpointLock()) {
                            ctx.collect(line);
                        }
                    }
                }
            } finally {
                running--;
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }
}
