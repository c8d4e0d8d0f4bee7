package io.trailguard.job.cli;

import io.trailguard.job.aws.AwsCredentialPolicy;
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
import io.trailguard.job.s3.S3Sources;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * The continuous job, in a local MiniCluster with the Flink web UI, or inside a cluster (Managed Flink runs it with
 * no arguments). Locally it resumes from the newest complete snapshot in {@code checkpoint.dir} unless
 * {@code --fresh}.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionInfo.class, name = "run", sortOptions = false,
        description = {"The continuous job on Kinesis (a local MiniCluster with web UI, or Managed Flink). With "
                + "checkpoint.dir it resumes from the newest complete checkpoint or savepoint there (--fresh: empty "
                + "state) and a stop (SIGTERM, Ctrl-C) takes a savepoint first. Configuration keys: "
                + "job/CONFIGURATION.md."})
final class RunCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Option(names = {"-e", "--events-stream"}, paramLabel = "NAME", description = "Kinesis stream of CloudTrail "
            + "events: name or ARN (env TRAILGUARD_EVENTS_STREAM)")
    String eventsStream;

    @Option(names = "--events-queue", paramLabel = "NAME|URL", description = "SQS queue of S3 notifications for "
            + "CloudTrail log files (events.queue; env TRAILGUARD_EVENTS_QUEUE)")
    String eventsQueue;

    @Option(names = "--control-stream", paramLabel = "NAME", description = "Kinesis stream of rule bundles "
            + "(env TRAILGUARD_CONTROL_STREAM)")
    String controlStream;

    @Option(names = {"-o", "--output"}, arity = "1..*", split = ",", paramLabel = "SPEC",
            description = "alert outputs: stdout, file:PATH, ocsf:PATH, securityhub, cloudwatch:GROUP (env TRAILGUARD_OUTPUT)")
    List<String> outputs = new ArrayList<>();

    @Mixin
    RuleOptions rules = new RuleOptions();

    @Mixin
    Matching matching = new Matching();

    @Option(names = "--fresh", description = "start with empty state even when checkpoint.dir holds snapshots")
    boolean fresh;

    @Mixin
    AwsOptions aws = new AwsOptions();

    RunCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Map<String, String> flags = new LinkedHashMap<>();
        put(flags, ConfigKey.EVENTS_STREAM, eventsStream);
        put(flags, ConfigKey.EVENTS_QUEUE, eventsQueue);
        put(flags, ConfigKey.CONTROL_STREAM, controlStream);
        aws.into(flags);
        put(flags, ConfigKey.MATCHING, matching.value);
        if (fresh) {
            flags.put(ConfigKey.CHECKPOINT_FRESH.key(), "true");
        }
        if (!outputs.isEmpty()) {
            flags.put(ConfigKey.OUTPUTS.key(), String.join(",", outputs));
        }
        rules.into(flags);
        TrailguardConfig config;
        List<PipelineOutput> outputs = new ArrayList<>();
        RuleSelection selection;
        try {
            config = configuration("run", this.config, flags);
            config.eventsStreamIfAny();
            S3Sources.settings(config);
            config.region();
            config.eventsInitialPosition();
            config.controlInitialPosition();
            config.outOfOrderness();
            config.idleness();
            config.dedupHorizon();
            config.duration(ConfigKey.FINDINGS_TIMES_TTL);
            config.bufferTimeout();
            config.checkpointInterval();
            config.checkpointFresh();
            config.checkpointRetained();
            config.checkpointStopTimeout();
            config.controlBootstrapTimeout();
            config.parallelism();
            BundleVerifier.configured(config).validate();
            selection = RuleSelection.of(config);
            if (config.duration(ConfigKey.BUNDLES_CHUNK_TIMEOUT).isZero()) {
                throw new IllegalArgumentException(ConfigKey.BUNDLES_CHUNK_TIMEOUT.key() + " must be positive");
            }
            outputs.addAll(AlertOutputs.create(config.outputs(), AlertOutputs.Mode.RUN, cli.consoleId, config));
            outputs.add(DeadLetterOutputs.create(config.deadLetterOutput(), cli.consoleId));
        } catch (IllegalArgumentException e) {
            throw new UsageException("run: " + e.getMessage());
        }
        RuleBundle defaults = RuleFiles.startupBundle("run", selection, config.matching(), cli.err);
        if (defaults == null) {
            return Commands.FAILURE;
        }
        List<StreamProbe.StreamInfo> streams = StartupReport.probe(config);
        RuleBundle startup = StreamingJob.startupBundle(config, defaults);
        StreamExecutionEnvironment env = StreamingJob.environment(config);
        StreamingJob.build(env, config, startup, outputs);
        log().info("starting trailguard: events {}, control {}, outputs {}, rules {} ({})", eventsInputs(config),
                config.controlStream() == null ? "none" : config.controlStream(), config.outputs(),
                startup.version(), startup.shortHash());
        StreamingJob.execute(env, config, "trailguard",
                job -> StartupReport.logWhenRunning(job, config, streams, startup));
        return 0;
    }

    private static String eventsInputs(TrailguardConfig config) {
        String stream = config.eventsStreamIfAny() == null ? null : "stream " + config.eventsStreamIfAny();
        String queue = config.eventsQueue() == null ? null : "queue " + config.eventsQueue();
        return stream == null ? queue : queue == null ? stream : stream + " and " + queue;
    }

    private static void put(Map<String, String> flags, ConfigKey key, String value) {
        if (value != null) {
            flags.put(key.key(), value);
        }
    }

    /**
     * The configuration from, in increasing precedence: Managed Flink property groups, {@code --config FILE}, the
     * options ({@code flags}, as configuration keys), and {@code --set KEY=VALUE}. Applies {@code aws.profile} to
     * the process.
     */
    static TrailguardConfig configuration(String command, ConfigOptions options, Map<String, String> flags)
            throws UsageException, IOException {
        TrailguardConfig config = TrailguardConfig.empty();
        Map<String, Properties> groups = applicationProperties();
        if (!groups.isEmpty()) {
            config = config.withAll(TrailguardConfig.fromPropertyGroups(groups, log()::warn),
                    "the application properties");
        }
        if (options.file != null) {
            Path p = Stdin.DASH.equals(options.file) ? Stdin.toFile() : Paths.get(options.file);
            if (!Files.isRegularFile(p)) {
                throw new UsageException(command + ": configuration file does not exist: " + options.file);
            }
            config = config.withAll(TrailguardConfig.readPropertiesFile(p), options.file);
        }
        Map<String, String> all = new LinkedHashMap<>(flags);
        for (String kv : options.set) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new UsageException(command + ": --set takes KEY=VALUE, not '" + kv + "'");
            }
            all.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        try {
            TrailguardConfig c = config.withAll(all, "the command line");
            if (c.profile() != null) {
                AwsCredentialPolicy.requireProfile(c.profile());
            }
            return c;
        } catch (IllegalArgumentException e) {
            throw new UsageException(command + ": " + e.getMessage());
        }
    }

    /**
     * Managed Flink's property groups; empty when not running there: when the runtime's properties file (named by
     * its {@code config.properties}) does not exist, without asking the runtime, which builds a JSON mapper first.
     */
    static Map<String, Properties> applicationProperties() {
        try {
            String file = applicationPropertiesFile();
            if (file != null && !Files.exists(Paths.get(file))) {
                return new LinkedHashMap<>();
            }
            return file == null ? KinesisAnalyticsRuntime.getApplicationProperties()
                    : KinesisAnalyticsRuntime.getApplicationProperties(file);
        } catch (IOException | RuntimeException | LinkageError e) {
            log().warn("cannot read the Managed Flink application properties: {}", e.toString());
            return new LinkedHashMap<>();
        }
    }

    /** The path the Managed Flink runtime reads its property groups from, or null when it does not say. */
    private static String applicationPropertiesFile() throws IOException {
        try (java.io.InputStream in = KinesisAnalyticsRuntime.class.getClassLoader()
                .getResourceAsStream("config.properties")) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("application_properties_file");
        }
    }

    /** Looked up when first needed: building the command tree does not start the logging system. */
    private static Logger log() {
        BundledRulesPreload.await();
        return LoggerFactory.getLogger(RunCommand.class);
    }
}
