package io.trailguard.job.cli;

import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.output.AlertOutputs;
import io.trailguard.job.s3.ObjectRef;
import io.trailguard.job.s3.QueueSettings;
import io.trailguard.job.s3.S3Listing;
import io.trailguard.job.s3.S3ReplaySource;
import io.trailguard.job.s3.TimeWindow;
import io.trailguard.job.s3.TrailFilter;
import io.trailguard.rules.engine.MatchingMode;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code replay --input s3://BUCKET[/PREFIX]... [--since TIME|DURATION] [--until TIME|DURATION] [--accounts A,B]
 * [--regions R,S]}: lists the CloudTrail files under the locations ({@link S3Listing}: accounts and regions from the
 * key layout, date folders from the window) and replays them straight from S3, record by record, keeping the records
 * whose {@code eventTime} is in the window. The S3 endpoint is {@code s3.endpoint}, else {@code aws.endpoint}.
 */
final class S3Replay {
    private S3Replay() {
    }

    /** True for S3 inputs; the window and account/region options are for S3 inputs only. */
    static boolean wanted(List<String> inputs, Args args) throws UsageException {
        long s3 = inputs.stream().filter(i -> i.startsWith("s3://")).count();
        if (s3 > 0 && s3 < inputs.size()) {
            throw new UsageException("replay: give either s3:// locations or local paths, not both");
        }
        if (s3 == 0) {
            for (String o : Arrays.asList("since", "until", "accounts", "regions")) {
                if (args.has(o)) {
                    throw new UsageException("replay: --" + o + " applies to s3:// inputs");
                }
            }
        }
        return s3 > 0;
    }

    static int run(List<String> inputs, Args args, MatchingMode matching, Cli cli) throws Exception {
        TrailguardConfig config = RunCommand.configuration(args, cli);
        TimeWindow window;
        TrailFilter filter;
        QueueSettings connection;
        List<String> outputs = args.has("output") ? config.outputs() : List.of("stdout");
        try {
            Instant now = Instant.now();
            window = new TimeWindow(TimeWindow.bound(args.single("since"), now),
                    TimeWindow.bound(args.single("until"), now));
            filter = new TrailFilter(list(args, "accounts"), list(args, "regions"));
            String endpoint = config.s3Endpoint() != null ? config.s3Endpoint() : config.endpoint();
            String region = config.isSet(io.trailguard.job.config.ConfigKey.AWS_REGION) || endpoint != null
                    ? config.region() : null;
            connection = new QueueSettings("", region, null, endpoint, filter, Duration.ofMinutes(1));
            AlertOutputs.create(outputs, AlertOutputs.Mode.REPLAY, cli.consoleId, config); // validate early
        } catch (IllegalArgumentException e) {
            throw new UsageException("replay: " + e.getMessage());
        }
        RuleBundle rules = RuleFiles.startupBundle("replay", args.values("rules"), matching, cli.err);
        if (rules == null) {
            return 1;
        }
        List<ObjectRef> objects = new ArrayList<>();
        try (S3Client s3 = connection.s3()) {
            S3Listing listing = new S3Listing(s3, filter, window, w -> cli.err.println("replay: warning: " + w));
            for (String input : inputs) {
                String[] location;
                try {
                    location = S3Listing.parse(input);
                } catch (IllegalArgumentException e) {
                    throw new UsageException("replay: " + e.getMessage());
                }
                objects.addAll(listing.list(location[0], location[1]));
            }
        } catch (SdkException e) {
            cli.err.println("replay: cannot list " + String.join(" ", inputs) + ": " + e.getMessage());
            return 2;
        }
        cli.err.println("replay: " + objects.size() + " CloudTrail files under " + String.join(" ", inputs) + " ("
                + filter + ", events from " + window + ")");
        ReplayRunner.run(new S3ReplaySource(connection, objects, window), objects.size(), rules, matching, cli,
                outputs, config);
        return 0;
    }

    private static List<String> list(Args args, String name) throws UsageException {
        List<String> out = new ArrayList<>();
        for (String v : args.values(name)) {
            for (String part : v.split(",")) {
                if (!part.trim().isEmpty()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }
}
