package io.trailguard.job.cli;

import com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime;
import io.trailguard.job.bundle.BundleVerifier;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.config.ConfigKey;
import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.kinesis.StreamProbe;
import io.trailguard.job.output.AlertOutputs;
import io.trailguard.job.output.DeadLetterOutputs;
import io.trailguard.job.pipeline.PipelineOutput;
import io.trailguard.job.pipeline.StreamingJob;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code run [--config FILE] [--events-stream NAME] [--control-stream NAME] [--aws-region R] [--aws-endpoint URL]
 * [--output SPEC...] [--rules PATH...] [--matching all|first] [--fresh] [--set KEY=VALUE...]}: the continuous job, in
 * a local MiniCluster with the Flink web UI, or inside a cluster (Managed Flink runs it with no arguments). Locally it
 * resumes from the newest complete snapshot in {@code checkpoint.dir} unless {@code --fresh}.
 */
final class RunCommand implements Command {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Override
    public int run(Args args, Cli cli) throws Exception {
        args.allow("config", "events-stream", "control-stream", "aws-region", "aws-endpoint", "output", "rules",
                "matching", "set", "fresh");
        TrailguardConfig config;
        List<PipelineOutput> outputs = new ArrayList<>();
        try {
            config = configuration(args, cli);
            config.eventsStream();
            config.region();
            config.eventsInitialPosition();
            config.controlInitialPosition();
            config.outOfOrderness();
            config.idleness();
            config.dedupHorizon();
            config.checkpointInterval();
            config.checkpointFresh();
            config.checkpointRetained();
            config.checkpointStopTimeout();
            config.controlBootstrapTimeout();
            config.parallelism();
            BundleVerifier.configured(config).validate();
            if (config.duration(ConfigKey.BUNDLES_CHUNK_TIMEOUT).isZero()) {
                throw new IllegalArgumentException(ConfigKey.BUNDLES_CHUNK_TIMEOUT.key() + " must be positive");
            }
            outputs.addAll(AlertOutputs.create(config.outputs(), AlertOutputs.Mode.RUN, cli.consoleId, config));
            outputs.add(DeadLetterOutputs.create(config.deadLetterOutput(), cli.consoleId));
        } catch (IllegalArgumentException e) {
            throw new UsageException("run: " + e.getMessage());
        }
        RuleBundle defaults = RuleFiles.startupBundle("run", config.rulesPath(), config.matching(), cli.err);
        if (defaults == null) {
            return 1;
        }
        List<StreamProbe.StreamInfo> streams = StartupReport.probe(config);
        RuleBundle startup = StreamingJob.startupBundle(config, defaults);
        StreamExecutionEnvironment env = StreamingJob.environment(config);
        StreamingJob.build(env, config, startup, outputs);
        LOG.info("starting trailguard: events {}, control {}, outputs {}, rules {} ({})", config.eventsStream(),
                config.controlStream() == null ? "none" : config.controlStream(), config.outputs(),
                startup.version(), startup.shortHash());
        StreamingJob.execute(env, config, "trailguard",
                job -> StartupReport.logWhenRunning(job, config, streams, startup));
        return 0;
    }

    /**
     * The configuration from, in increasing precedence: Managed Flink property groups, {@code --config FILE}, the
     * flags, and {@code --set KEY=VALUE}.
     */
    static TrailguardConfig configuration(Args args, Cli cli) throws UsageException, IOException {
        TrailguardConfig config = TrailguardConfig.empty();
        Map<String, Properties> groups = applicationProperties();
        if (!groups.isEmpty()) {
            config = config.withAll(TrailguardConfig.fromPropertyGroups(groups, LOG::warn),
                    "the application properties");
        }
        String file = args.single("config");
        if (file != null) {
            Path p = Paths.get(file);
            if (!Files.isRegularFile(p)) {
                throw new UsageException("run: configuration file does not exist: " + file);
            }
            config = config.withAll(TrailguardConfig.readPropertiesFile(p), file);
        }
        Map<String, String> flags = new LinkedHashMap<>();
        flag(args, "events-stream", ConfigKey.EVENTS_STREAM, flags);
        flag(args, "control-stream", ConfigKey.CONTROL_STREAM, flags);
        flag(args, "aws-region", ConfigKey.AWS_REGION, flags);
        flag(args, "aws-endpoint", ConfigKey.AWS_ENDPOINT, flags);
        flag(args, "matching", ConfigKey.MATCHING, flags);
        if (args.flag("fresh")) {
            flags.put(ConfigKey.CHECKPOINT_FRESH.key(), "true");
        }
        if (args.has("output")) {
            flags.put(ConfigKey.OUTPUTS.key(), String.join(",", args.required("output", "SPEC...")));
        }
        if (args.has("rules")) {
            flags.put(ConfigKey.RULES_PATH.key(), String.join(",", args.required("rules", "PATH...")));
        }
        for (String kv : args.values("set")) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("run: --set takes KEY=VALUE, not '" + kv + "'");
            }
            flags.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        try {
            return config.withAll(flags, "the command line");
        } catch (IllegalArgumentException e) {
            throw new UsageException("run: " + e.getMessage());
        }
    }

    private static void flag(Args args, String name, ConfigKey key, Map<String, String> into) throws UsageException {
        String v = args.single(name);
        if (v != null) {
            into.put(key.key(), v);
        }
    }

    /** Managed Flink's property groups; empty when not running there (the runtime returns an empty map). */
    static Map<String, Properties> applicationProperties() {
        try {
            return KinesisAnalyticsRuntime.getApplicationProperties();
        } catch (IOException | RuntimeException | LinkageError e) {
            LOG.warn("cannot read the Managed Flink application properties: {}", e.toString());
            return new LinkedHashMap<>();
        }
    }
}
