package io.trailguard.job.pipeline;

import io.trailguard.job.aws.AwsClients;
import io.trailguard.job.aws.AwsConnection;
import io.trailguard.job.bundle.ActiveRules;
import io.trailguard.job.bundle.BundleVerifier;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.config.ConfigKey;
import io.trailguard.job.config.StreamRef;
import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.kinesis.ControlStreamBootstrap;
import io.trailguard.job.kinesis.KinesisSources;
import io.trailguard.job.recovery.RetainedCheckpoints;
import io.trailguard.job.recovery.SavepointOnStop;
import io.trailguard.job.recovery.StartingPoint;
import io.trailguard.job.s3.S3Sources;
import io.trailguard.job.serde.RawRecord;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Paths;
import java.util.List;

/**
 * The continuous job ({@code run}, and the Managed Flink main class): Kinesis events, S3 notifications and control
 * sources around the
 * {@link DetectionPipeline}, with checkpointing. Split into steps so that tests run the same job in their own
 * MiniCluster with their own outputs.
 */
public final class StreamingJob {
    private static final Logger LOG = LoggerFactory.getLogger(StreamingJob.class);

    private StreamingJob() {
    }

    /**
     * The rules to start with: the newest valid bundle on the control stream when there is one (read with the AWS SDK
     * before the graph is built), else {@code defaults}. An unreachable control stream is logged and not fatal.
     */
    public static RuleBundle startupBundle(TrailguardConfig config, RuleBundle defaults) {
        StreamRef control = config.controlStream();
        if (control == null) {
            LOG.info("no control stream configured: the rules stay {} ({})", defaults.version(), defaults.shortHash());
            return defaults;
        }
        try (KinesisClient client = AwsClients.kinesis(AwsConnection.kinesis(config))) {
            ControlStreamBootstrap.Result r = ControlStreamBootstrap.newestValidBundle(client, control.name(),
                    new ActiveRules(defaults, config.matching(), BundleVerifier.configured(config)),
                    config.controlBootstrapTimeout());
            if (r.problem != null) {
                LOG.warn("control stream {}: {}; {}", control, r.problem, r.bundle == null
                        ? "starting with the default rules " + defaults.version()
                        : "starting with the newest valid bundle read so far");
            }
            if (r.bundle != null) {
                LOG.info("start-up rules: bundle {} ({}) from control stream {} at {} ({} records, {} bundles read)",
                        r.bundle.version(), r.bundle.shortHash(), control, r.bundle.origin(), r.recordsRead,
                        r.bundlesFound);
                return r.bundle;
            }
            if (r.problem == null) {
                LOG.info("no valid bundle on control stream {} ({} records read): starting with {} ({})", control,
                        r.recordsRead, defaults.version(), defaults.shortHash());
            }
            return defaults;
        } catch (RuntimeException e) {
            LOG.warn("control stream {} is unreachable ({}): starting with the default rules {}", control,
                    e.toString(), defaults.version());
            return defaults;
        }
    }

    /**
     * Flink settings for a local run: parallelism, web UI port, checkpoint and savepoint directories, retention, and
     * the state to start from ({@link StartingPoint}: {@code checkpoint.restore}, else empty on {@code --fresh}, else
     * the newest complete snapshot retained in {@code checkpoint.dir}), which it logs.
     */
    public static Configuration localConfiguration(TrailguardConfig config) {
        Configuration conf = new Configuration();
        conf.set(CoreOptions.DEFAULT_PARALLELISM, config.parallelism());
        conf.set(RestOptions.BIND_PORT, config.webUiPort());
        if (config.checkpointDir() != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, uri(config.checkpointDir()));
            conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, savepointDirectory(config));
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
            // Flink discards a checkpoint only after a newer one completed; keeping more than one leaves an older
            // complete checkpoint to resume from should the newest be damaged.
            conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, config.checkpointRetained());
        }
        StartingPoint start;
        try {
            start = StartingPoint.decide(config.checkpointDir() == null ? null : uri(config.checkpointDir()),
                    config.checkpointRestore(), config.checkpointFresh());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint directory " + config.checkpointDir(), e);
        }
        for (String line : start.lines()) {
            LOG.info("{}", line);
        }
        if (start.restorePath() != null) {
            // Restored in Flink's default NO_CLAIM mode: the snapshot stays as it is, the new run checkpoints afresh.
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, uri(start.restorePath()));
        }
        return conf;
    }

    /** Where stop-with-savepoint and web UI savepoints go: {@code checkpoint.dir/savepoints}. */
    static String savepointDirectory(TrailguardConfig config) {
        String dir = uri(config.checkpointDir());
        return (dir.endsWith("/") ? dir : dir + "/") + RetainedCheckpoints.SAVEPOINTS;
    }

    /**
     * The environment: the cluster's when running inside one (Managed Flink, a test MiniCluster), otherwise a local
     * MiniCluster with the web UI.
     */
    public static StreamExecutionEnvironment environment(TrailguardConfig config) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        if (!(env instanceof LocalStreamEnvironment)) {
            // Inside a cluster: its parallelism, checkpoint storage and restore settings apply, not the local ones.
            return env.setBufferTimeout(config.bufferTimeout().toMillis());
        }
        LOG.info("local MiniCluster, parallelism {}; Flink web UI at http://localhost:{}", config.parallelism(),
                config.webUiPort());
        return StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(localConfiguration(config))
                .setBufferTimeout(config.bufferTimeout().toMillis());
    }

    /**
     * Runs the job and returns when it ends. Inside a cluster, as the cluster runs it (Managed Flink takes its own
     * snapshots). Locally with a {@code checkpoint.dir}, a SIGTERM or Ctrl-C first stops the job with a savepoint
     * ({@link SavepointOnStop}, at most {@code checkpoint.stop_timeout}), which the next run resumes from.
     */
    public static void execute(StreamExecutionEnvironment env, TrailguardConfig config, String name)
            throws Exception {
        execute(env, config, name, job -> { });
    }

    /** What a run does once its job is submitted (e.g. report it ready); it may block until then. */
    public interface WhenSubmitted {
        void accept(JobClient job) throws InterruptedException;
    }

    /**
     * As {@link #execute(StreamExecutionEnvironment, TrailguardConfig, String)}; {@code whenSubmitted} runs once the
     * job is submitted, and an interrupted caller cancels the job rather than leave it running behind it.
     */
    public static void execute(StreamExecutionEnvironment env, TrailguardConfig config, String name,
                               WhenSubmitted whenSubmitted) throws Exception {
        JobClient job = env.executeAsync(name);
        if (env instanceof LocalStreamEnvironment) {
            // inside a cluster the cluster takes the snapshots (Managed Flink): no savepoint on stop from here
            stopWithSavepointOnShutdown(job, config);
        }
        try {
            whenSubmitted.accept(job);
            job.getJobExecutionResult().get();
        } catch (InterruptedException e) {
            job.cancel();
            throw e;
        }
    }

    private static void stopWithSavepointOnShutdown(JobClient job, TrailguardConfig config) {
        if (config.checkpointDir() == null) {
            LOG.info("no checkpoint.dir: a stop takes no savepoint and the next run starts with empty state");
        } else if (config.checkpointStopTimeout().isZero()) {
            LOG.info("checkpoint.stop_timeout is 0: a stop takes no savepoint; the next run resumes from the newest "
                    + "complete checkpoint");
        } else {
            SavepointOnStop.install(job, savepointDirectory(config), config.checkpointStopTimeout());
        }
    }

    /**
     * Adds the Kinesis sources and the detection graph to {@code env}, with exactly-once checkpointing when local
     * ({@link LocalCheckpointing}).
     */
    public static DetectionStreams build(StreamExecutionEnvironment env, TrailguardConfig config, RuleBundle startup,
                                         List<? extends PipelineOutput> outputs) {
        LocalCheckpointing.enable(env, config); // inside a cluster its own checkpoint configuration applies
        DataStream<RawRecord> events = null;
        if (config.eventsStreamIfAny() != null) {
            events = KinesisSources.events(env, config);
        }
        if (config.eventsQueue() != null) {
            DataStream<RawRecord> files = S3Sources.events(env, config);
            events = events == null ? files : events.union(files);
        }
        DataStream<RawRecord> control = config.controlStream() == null ? null : KinesisSources.control(env, config);
        PipelineSettings settings = PipelineSettings.streaming(startup)
                .withMatching(config.matching())
                .withDedupHorizon(config.dedupHorizon())
                .withOutOfOrderness(config.outOfOrderness())
                .withIdleness(config.idleness())
                .withAllowedLateness(config.duration(ConfigKey.RATE_ALLOWED_LATENESS))
                .withBundleVerifier(BundleVerifier.configured(config))
                .withChunkTimeout(config.duration(ConfigKey.BUNDLES_CHUNK_TIMEOUT))
                .withFindingTimesTtl(config.duration(ConfigKey.FINDINGS_TIMES_TTL));
        LOG.info("rule bundles from the control stream: {}", settings.bundleVerifier().describe());
        return DetectionPipeline.build(env, events, control, settings, outputs);
    }

    /** A URI as it is ({@code file:/x}, {@code file:///x}, {@code s3://b/x}), a path made absolute. */
    private static String uri(String pathOrUri) {
        if (pathOrUri.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:/.*")) {
            return URI.create(pathOrUri).toString();
        }
        return Paths.get(pathOrUri).toAbsolutePath().toUri().toString();
    }
}
