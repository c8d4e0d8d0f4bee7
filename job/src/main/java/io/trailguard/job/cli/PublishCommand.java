package io.trailguard.job.cli;

import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.config.ConfigKey;
import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.kinesis.BundlePublisher;
import io.trailguard.job.kinesis.KinesisClients;
import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.rules.loader.LoadResult;
import io.trailguard.rules.loader.RuleSource;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * {@code publish --rules PATH... --stream NAME [--aws-region R] [--aws-endpoint URL] [--version V]}: validates the rule
 * files (the same diagnostics as {@code validate}; exit 1 and nothing published when there is an error), then puts
 * them on the control stream as one bundle and prints its version and hash.
 */
final class PublishCommand implements Command {
    private static final DateTimeFormatter VERSION =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    @Override
    public int run(Args args, Cli cli) throws Exception {
        args.allow("rules", "stream", "aws-region", "aws-endpoint", "version");
        List<String> paths = args.required("rules", "PATH...");
        String stream = args.single("stream");
        if (stream == null) {
            throw new UsageException("publish: --stream NAME is required");
        }
        TrailguardConfig config = clientConfig("publish", ConfigKey.CONTROL_STREAM, stream, args);
        List<RuleSource> sources = RuleFiles.sources("publish", paths);
        LoadResult r = RuleFiles.load(sources, MatchingMode.ALL);
        RuleFiles.print(r, cli.err);
        if (!r.ok()) {
            cli.err.println("publish: " + r.errors().size() + " error(s): nothing published");
            return 1;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String version = args.single("version") != null ? args.single("version") : VERSION.format(now);
        RuleBundle bundle = RuleBundle.ofSources(version, now.toString(), sources, null);
        int records;
        try (KinesisClient client = KinesisClients.create(config)) {
            records = BundlePublisher.publish(client, config.controlStream().name(), bundle);
        }
        cli.out.println("published version=" + bundle.version() + " hash=" + bundle.hash() + " rules="
                + r.ruleSet().size() + " files=" + sources.size() + " records=" + records + " stream="
                + config.controlStream());
        return 0;
    }

    /** A configuration holding a stream and the AWS flags, so region defaults work as for {@code run}. */
    static TrailguardConfig clientConfig(String command, ConfigKey streamKey, String stream, Args args)
            throws UsageException {
        try {
            TrailguardConfig c = TrailguardConfig.empty().with(streamKey.key(), stream);
            if (args.single("aws-region") != null) {
                c = c.with(ConfigKey.AWS_REGION.key(), args.single("aws-region"));
            }
            if (args.single("aws-endpoint") != null) {
                c = c.with(ConfigKey.AWS_ENDPOINT.key(), args.single("aws-endpoint"));
            }
            if (streamKey == ConfigKey.CONTROL_STREAM) {
                c.controlStream();
            } else {
                c.eventsStream();
            }
            c.region();
            return c;
        } catch (IllegalArgumentException e) {
            throw new UsageException(command + ": " + e.getMessage());
        }
    }
}
