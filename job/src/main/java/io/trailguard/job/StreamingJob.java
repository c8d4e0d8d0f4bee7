package io.trailguard.job;

import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.config.StreamRef;
import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.kinesis.ControlStreamBootstrap;
import io.trailguard.job.kinesis.KinesisClients;
import io.trailguard.job.kinesis.KinesisSources;
import io.trailguard.job.pipeline.DetectionPipeline;
import io.trailguard.job.pipeline.DetectionStreams;
import io.trailguard.job.pipeline.PipelineOutput;
import io.trailguard.job.config.ConfigKey;
import io.trailguard.job.pipeline.PipelineSettings;
import io.trailguard.job.pipeline.RawRecord;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import java.net.URI;
import java.nio.file.Paths;
import java.util.List;

/**
 * The continuous job ({@code run}, and the Managed Flink main class): Kinesis events and control sources around the
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
        try (KinesisClient client = KinesisClients.create(config)) {
            ControlStreamBootstrap.Result r = ControlStreamBootstrap.newestValidBundle(client, control.name(),
                    config.matching(), config.bundleVerifier(), config.controlBootstrapTimeout());
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

    /** Flink settings for a local run: parallelism, web UI port, checkpoint directory and restore path. */
    public static Configuration localConfiguration(TrailguardConfig config) {
        Configuration conf = new Configuration();
        conf.set(CoreOptions.DEFAULT_PARALLELISM, config.parallelism());
        conf.set(RestOptions.BIND_PORT, config.webUiPort());
        if (config.checkpointDir() != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, uri(config.checkpointDir()));
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        }
        if (config.checkpointRestore() != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, uri(config.checkpointRestore()));
        }
        return conf;
    }

    /**
     * The environment: the cluster's when running inside one (Managed Flink, a test MiniCluster), otherwise a local
     * MiniCluster with the web UI.
     */
    public static StreamExecutionEnvironment environment(TrailguardConfig config) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        if (!(env instanceof LocalStreamEnvironment)) {
            // Inside a cluster: its parallelism, checkpoint storage and restore settings apply, not the local ones.
            return env;
        }
        LOG.info("local MiniCluster, parallelism {}; Flink web UI at http://localhost:{}", config.parallelism(),
                config.webUiPort());
        return StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(localConfiguration(config));
    }

    /**
     * Adds the Kinesis sources and the detection graph to {@code env}, with exactly-once checkpointing when local
     * ({@link LocalCheckpointing}).
     */
    public static DetectionStreams build(StreamExecutionEnvironment env, TrailguardConfig config, RuleBundle startup,
                                         List<? extends PipelineOutput> outputs) {
        LocalCheckpointing.enable(env, config); // inside a cluster its own checkpoint configuration applies
        DataStream<RawRecord> events = KinesisSources.events(env, config);
        DataStream<RawRecord> control = config.controlStream() == null ? null : KinesisSources.control(env, config);
        PipelineSettings settings = PipelineSettings.streaming(startup)
                .withMatching(config.matching())
                .withDedupHorizon(config.dedupHorizon())
                .withOutOfOrderness(config.outOfOrderness())
                .withIdleness(config.idleness())
                .withAllowedLateness(config.duration(ConfigKey.RATE_ALLOWED_LATENESS))
                .withBundleVerifier(config.bundleVerifier());
        LOG.info("rule bundles from the control stream: {}", settings.bundleVerifier().describe());
        return DetectionPipeline.build(env, events, control, settings, outputs);
    }

    private static String uri(String pathOrUri) {
        if (pathOrUri.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            return URI.create(pathOrUri).toString();
        }
        return Paths.get(pathOrUri).toAbsolutePath().toUri().toString();
    }
}
