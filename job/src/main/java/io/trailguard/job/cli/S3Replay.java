package io.trailguard.job.cli;

import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.config.ConfigKey;
import io.trailguard.job.config.TrailguardConfig;
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

    /** The window, the account/region filter and the S3 connection of an S3 replay. */
    static final class Request {
        final TimeWindow window;
        final TrailFilter filter;
        final QueueSettings connection;

        Request(TimeWindow window, TrailFilter filter, QueueSettings connection) {
            this.window = window;
            this.filter = filter;
            this.connection = connection;
        }
    }

    static Request request(String since, String until, List<String> accounts, List<String> regions,
                           TrailguardConfig config) throws UsageException {
        try {
            Instant now = Instant.now();
            TimeWindow window = new TimeWindow(TimeWindow.bound(since, now), TimeWindow.bound(until, now));
            TrailFilter filter = new TrailFilter(trimmed(accounts), trimmed(regions));
            String endpoint = config.s3EndpointOrShared();
            String region = config.isSet(ConfigKey.AWS_REGION) || endpoint != null ? config.region() : null;
            return new Request(window, filter,
                    new QueueSettings("", region, null, endpoint, filter, Duration.ofMinutes(1))
                            .withProfile(config.profile()));
        } catch (IllegalArgumentException e) {
            throw new UsageException("replay: " + e.getMessage());
        }
    }

    static int run(List<String> inputs, Request request, RuleBundle rules, MatchingMode matching, Cli cli,
                   List<String> outputs, TrailguardConfig config) throws Exception {
        List<ObjectRef> objects = new ArrayList<>();
        try (S3Client s3 = request.connection.s3()) {
            S3Listing listing = new S3Listing(s3, request.filter, request.window,
                    w -> cli.err.println("replay: warning: " + w));
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
                + request.filter + ", events from " + request.window + ")");
        ReplayRunner.run(new S3ReplaySource(request.connection, objects, request.window), objects.size(), rules,
                matching, cli, outputs, config);
        return 0;
    }

    private static List<String> trimmed(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            for (String part : v.split(",")) {
                if (!part.trim().isEmpty()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }
}
