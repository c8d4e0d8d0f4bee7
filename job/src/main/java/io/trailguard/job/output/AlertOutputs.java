package io.trailguard.job.output;

import io.trailguard.job.aws.AwsConnection;
import io.trailguard.job.config.ConfigKey;
import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.pipeline.DetectionStreams;
import io.trailguard.job.pipeline.PipelineOutput;
import io.trailguard.job.sink.aws.CloudWatchLogsSink;
import io.trailguard.job.sink.aws.OnUnavailable;
import io.trailguard.job.sink.aws.RetryLimit;
import io.trailguard.job.sink.aws.RetryPolicy;
import io.trailguard.job.sink.aws.SecurityHubSink;
import io.trailguard.job.sink.aws.SinkDeadLetters;
import io.trailguard.job.sink.ocsf.OcsfLines;
import io.trailguard.job.sink.ocsf.lake.LakeFormat;
import io.trailguard.job.sink.ocsf.lake.LakeLocation;
import io.trailguard.job.sink.ocsf.lake.SecurityLakeSink;
import org.apache.flink.streaming.api.datastream.DataStream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * Builds the alert outputs from spec strings:
 * <ul>
 *   <li>{@code stdout}: one alert JSON line per alert on standard output and nothing else. Rule status lines go to
 *       standard error when the job runs continuously ({@link Mode#RUN}); in {@link Mode#REPLAY} they are only
 *       logged, so stdout stays alerts only.</li>
 *   <li>{@code file:PATH}: alert lines and {@code {"type":"rule_status",...}} lines appended to PATH (JSON lines).</li>
 *   <li>{@code ocsf:PATH}: one OCSF Detection Finding JSON line per alert appended to PATH.</li>
 *   <li>{@code ocsf:s3://BUCKET/PREFIX}: the same findings as Parquet objects of an Amazon Security Lake custom
 *       source ({@link SecurityLakeSink}).</li>
 * </ul>
 * <ul>
 *   <li>{@code securityhub}: each alert imported as an ASFF finding (BatchImportFindings; see {@code job/OUTPUTS.md}).</li>
 *   <li>{@code cloudwatch:LOG_GROUP}: alert and rule status JSON lines in that log group.</li>
 * </ul>
 * The finding outputs (OCSF, Security Lake, Security Hub) take the alerts stamped with their finding times
 * ({@link DetectionStreams#findings}), so they agree on every finding's CreatedAt/UpdatedAt. The AWS outputs take
 * region, endpoint override, profile and their settings from the configuration.
 */
public final class AlertOutputs {
    /** Accepted spec forms, for messages and documentation. */
    public static final String SPECS =
            "stdout, file:PATH, ocsf:PATH, ocsf:s3://BUCKET/PREFIX, securityhub, cloudwatch:LOG_GROUP";

    /** How the job runs, which decides where the stdout output sends rule status lines. */
    public enum Mode { REPLAY, RUN }

    private AlertOutputs() {
    }

    /** The outputs for the specs (duplicates ignored); throws IllegalArgumentException for an invalid spec. */
    public static List<PipelineOutput> create(List<String> specs, Mode mode, String consoleId) {
        return create(specs, mode, consoleId, TrailguardConfig.empty());
    }

    /** As {@link #create(List, Mode, String)}, with the configuration the AWS outputs read. */
    public static List<PipelineOutput> create(List<String> specs, Mode mode, String consoleId, TrailguardConfig config) {
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("at least one output is needed (" + SPECS + ")");
        }
        List<PipelineOutput> out = new ArrayList<>();
        for (String spec : new LinkedHashSet<>(specs)) {
            out.add(create(spec.trim(), mode, consoleId, config));
        }
        return out;
    }

    public static PipelineOutput create(String spec, Mode mode, String consoleId) {
        return create(spec, mode, consoleId, TrailguardConfig.empty());
    }

    public static PipelineOutput create(String spec, Mode mode, String consoleId, TrailguardConfig config) {
        String lower = spec.toLowerCase(Locale.ROOT);
        if (lower.equals("stdout")) {
            return new StdoutOutput(spec, mode, consoleId);
        }
        if (lower.startsWith("file:")) {
            String path = spec.substring("file:".length()).trim();
            if (path.isEmpty()) {
                throw new IllegalArgumentException("output '" + spec + "' needs a path: file:PATH");
            }
            return new FileOutput(spec, path, false);
        }
        if (lower.startsWith("ocsf:")) {
            String path = spec.substring("ocsf:".length()).trim();
            if (path.isEmpty()) {
                throw new IllegalArgumentException("output '" + spec + "' needs a path: ocsf:PATH");
            }
            if (path.toLowerCase(Locale.ROOT).startsWith("s3://")) {
                try {
                    return new SecurityLakeOutput(spec, lakeLocation(path, config), config);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("output '" + spec + "': " + e.getMessage());
                }
            }
            return new FileOutput(spec, path, true);
        }
        if (lower.equals("securityhub")) {
            return new SecurityHubOutput(spec, config, config.region());
        }
        if (lower.startsWith("cloudwatch:")) {
            String group = spec.substring("cloudwatch:".length()).trim();
            if (group.isEmpty()) {
                throw new IllegalArgumentException("output '" + spec + "' needs a log group: cloudwatch:LOG_GROUP");
            }
            return new CloudWatchOutput(spec, group, config, config.region());
        }
        throw new IllegalArgumentException("unknown output '" + spec + "'; available: " + SPECS);
    }

    /** The file path of a {@code file:PATH} spec, or null. */
    public static String filePath(String spec) {
        return spec != null && spec.toLowerCase(Locale.ROOT).startsWith("file:")
                ? spec.substring("file:".length()).trim() : null;
    }

    /** Alert lines and rule-status lines as one stream of JSON lines, for outputs that take both. */
    private static DataStream<String> alertAndStatusLines(DetectionStreams streams, String kind, String target,
                                                          String spec) {
        DataStream<String> alertLines = streams.alerts().map(OutputLines::alert)
                .name("Alert lines for " + target).uid(uid(kind + "-alerts", spec));
        DataStream<String> statusLines = streams.ruleStatus().map(OutputLines::ruleStatus)
                .name("Rule status lines for " + target).uid(uid(kind + "-status", spec));
        return alertLines.union(statusLines);
    }

    static String uid(String kind, String spec) {
        return "sink-" + kind + "-" + Integer.toHexString(spec.hashCode());
    }

    private static final class StdoutOutput implements PipelineOutput {
        private final String spec;
        private final Mode mode;
        private final String consoleId;

        StdoutOutput(String spec, Mode mode, String consoleId) {
            this.spec = spec;
            this.mode = mode;
            this.consoleId = consoleId;
        }

        @Override
        public String spec() {
            return spec;
        }

        @Override
        public void attach(DetectionStreams streams) {
            streams.alerts()
                    .sinkTo(new LineSink<>(LineTarget.stdout(consoleId), OutputLines::alert))
                    .setParallelism(1).name("Alerts to stdout").uid("sink-stdout-alerts");
            if (mode == Mode.RUN) {
                streams.ruleStatus()
                        .sinkTo(new LineSink<>(LineTarget.stderr(consoleId), OutputLines::ruleStatus))
                        .setParallelism(1).name("Rule status to stderr").uid("sink-stderr-rule-status");
            }
        }
    }

    /** {@code file:PATH} (alert and rule-status lines) or {@code ocsf:PATH} (one OCSF finding line per alert). */
    private static final class FileOutput implements PipelineOutput {
        private final String spec;
        private final String path;
        private final boolean ocsf;

        FileOutput(String spec, String path, boolean ocsf) {
            this.spec = spec;
            this.path = path;
            this.ocsf = ocsf;
        }

        @Override
        public String spec() {
            return spec;
        }

        @Override
        public void attach(DetectionStreams streams) {
            if (ocsf) {
                streams.findings().sinkTo(new LineSink<>(LineTarget.file(path), OcsfLines.system()))
                        .setParallelism(1).name("OCSF findings to a file").uid(uid("ocsf", spec));
            } else {
                alertAndStatusLines(streams, "file", "a file", spec)
                        .sinkTo(new LineSink<>(LineTarget.file(path), line -> line))
                        .setParallelism(1).name("Alerts to a file").uid(uid("file", spec));
            }
        }
    }

    /** {@code sink.retry.max_backoff}, {@code sink.retry.limit}, {@code sink.retry.report_interval}. */
    static RetryPolicy sinkRetry(TrailguardConfig c) {
        Duration max = c.duration(ConfigKey.SINK_RETRY_MAX_BACKOFF);
        Duration report = c.duration(ConfigKey.SINK_RETRY_REPORT_INTERVAL);
        if (max.isZero() || report.isZero()) {
            throw new IllegalArgumentException(ConfigKey.SINK_RETRY_MAX_BACKOFF.key() + " and "
                    + ConfigKey.SINK_RETRY_REPORT_INTERVAL.key() + " must be positive");
        }
        RetryLimit limit;
        try {
            limit = RetryLimit.parse(c.get(ConfigKey.SINK_RETRY_LIMIT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ConfigKey.SINK_RETRY_LIMIT.key() + ": " + e.getMessage());
        }
        return RetryPolicy.defaults().withMaxBackoff(max).withLimit(limit).withReportInterval(report);
    }

    /** The AWS outputs' connection: the region, {@code aws.endpoint} and {@code aws.profile}. */
    static AwsConnection connection(TrailguardConfig c, String region) {
        return AwsConnection.of(region, c.endpoint()).withProfile(c.profile());
    }

    /** {@code sink.dead_letter} (with {@code auto} and the legacy {@code sink.dead_letter_path} resolved). */
    static SinkDeadLetters sinkDeadLetters(TrailguardConfig c, String region) {
        String spec = SinkDeadLetters.resolveSpec(c.get(ConfigKey.SINK_DEAD_LETTER),
                orNull(c, ConfigKey.SINK_DEAD_LETTER_PATH), c.outputs());
        try {
            return SinkDeadLetters.forSpec(spec, connection(c, region),
                    c.bool(ConfigKey.CLOUDWATCH_CREATE_LOG_GROUP));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ConfigKey.SINK_DEAD_LETTER.key() + ": " + e.getMessage());
        }
    }

    static OnUnavailable onUnavailable(TrailguardConfig c) {
        try {
            return OnUnavailable.parse(c.get(ConfigKey.SECURITYHUB_ON_UNAVAILABLE));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ConfigKey.SECURITYHUB_ON_UNAVAILABLE.key() + ": " + e.getMessage());
        }
    }

    private static String orNull(TrailguardConfig c, ConfigKey k) {
        return c.isSet(k) ? c.get(k) : null;
    }

    /** The S3 connection of the Security Lake output: {@code s3.endpoint}, else {@code aws.endpoint}. */
    static AwsConnection s3Connection(TrailguardConfig c) {
        return connection(c, c.region()).withEndpoint(c.s3EndpointOrShared());
    }

    /** The output's location with {@code lake.staging} when set (validated: outside the output location). */
    static LakeLocation lakeLocation(String uri, TrailguardConfig c) {
        return c.isSet(ConfigKey.LAKE_STAGING) ? LakeLocation.parse(uri, c.get(ConfigKey.LAKE_STAGING))
                : LakeLocation.parse(uri);
    }

    /** {@code lake.compression}, {@code lake.row_group_size}, {@code lake.target_object_size}. */
    static LakeFormat lakeFormat(TrailguardConfig c) {
        return LakeFormat.of(c.get(ConfigKey.LAKE_COMPRESSION), c.get(ConfigKey.LAKE_ROW_GROUP_SIZE),
                c.get(ConfigKey.LAKE_TARGET_OBJECT_SIZE));
    }

    /** {@code ocsf:s3://BUCKET/PREFIX}: findings as Parquet objects of a Security Lake custom source. */
    private static final class SecurityLakeOutput implements PipelineOutput {
        private final String spec;
        private final LakeLocation location;
        private final TrailguardConfig config;

        SecurityLakeOutput(String spec, LakeLocation location, TrailguardConfig config) {
            this.spec = spec;
            this.location = location;
            this.config = config;
            sinkRetry(config); // validate now, not at job start
            lakeFormat(config);
        }

        @Override
        public String spec() {
            return spec;
        }

        @Override
        public void attach(DetectionStreams streams) {
            streams.findings().sinkTo(new SecurityLakeSink(location, lakeFormat(config), s3Connection(config),
                    sinkRetry(config)))
                    .name("OCSF findings to Security Lake").uid(uid("ocsf-lake", spec));
        }
    }

    private static final class SecurityHubOutput implements PipelineOutput {
        private final String spec;
        private final TrailguardConfig config;
        private final String region;

        SecurityHubOutput(String spec, TrailguardConfig config, String region) {
            this.spec = spec;
            this.config = config;
            this.region = region;
            config.duration(ConfigKey.SECURITYHUB_FLUSH); // validate now, not at job start
            onUnavailable(config);
            sinkRetry(config);
            sinkDeadLetters(config, region);
        }

        @Override
        public String spec() {
            return spec;
        }

        @Override
        public void attach(DetectionStreams streams) {
            streams.findings()
                    .sinkTo(SecurityHubSink.fromConfig(connection(config, region),
                            orNull(config, ConfigKey.SECURITYHUB_PRODUCT_ARN), orNull(config, ConfigKey.SECURITYHUB_ACCOUNT_ID),
                            config.duration(ConfigKey.SECURITYHUB_FLUSH).toMillis(), sinkRetry(config),
                            sinkDeadLetters(config, region), onUnavailable(config)))
                    .name("Alerts to Security Hub").uid("sink-securityhub");
        }
    }

    private static final class CloudWatchOutput implements PipelineOutput {
        private final String spec;
        private final String group;
        private final TrailguardConfig config;
        private final String region;

        CloudWatchOutput(String spec, String group, TrailguardConfig config, String region) {
            this.spec = spec;
            this.group = group;
            this.config = config;
            this.region = region;
            config.duration(ConfigKey.CLOUDWATCH_FLUSH);
            config.bool(ConfigKey.CLOUDWATCH_CREATE_LOG_GROUP);
            sinkRetry(config);
            sinkDeadLetters(config, region);
        }

        @Override
        public String spec() {
            return spec;
        }

        @Override
        public void attach(DetectionStreams streams) {
            alertAndStatusLines(streams, "cloudwatch", "CloudWatch Logs", spec)
                    .sinkTo(CloudWatchLogsSink.fromConfig(connection(config, region), group,
                            config.get(ConfigKey.CLOUDWATCH_LOG_STREAM_PREFIX),
                            config.bool(ConfigKey.CLOUDWATCH_CREATE_LOG_GROUP),
                            config.duration(ConfigKey.CLOUDWATCH_FLUSH).toMillis(), sinkRetry(config),
                            sinkDeadLetters(config, region)))
                    .name("Alerts to CloudWatch Logs").uid(uid("cloudwatch", spec));
        }
    }
}
