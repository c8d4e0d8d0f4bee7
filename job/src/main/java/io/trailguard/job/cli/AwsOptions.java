package io.trailguard.job.cli;

import io.trailguard.job.config.ConfigKey;
import picocli.CommandLine.Option;

import java.util.Map;

/** The AWS CLI's connection options, shared by the commands that call AWS ({@code run}, {@code publish}, ...). */
final class AwsOptions {
    @Option(names = "--region", paramLabel = "REGION", description = "AWS region (default: the region in a stream "
            + "ARN, else AWS_REGION / AWS_DEFAULT_REGION / the profile's region, else us-east-1 with --endpoint-url)")
    String region;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "endpoint override, e.g. "
            + "http://localhost:4568 for kinesis-local (env TRAILGUARD_ENDPOINT_URL)")
    String endpointUrl;

    @Option(names = "--profile", paramLabel = "NAME", description = "named profile of ~/.aws/config and "
            + "~/.aws/credentials: the default credentials chain with that profile (default: AWS_PROFILE)")
    String profile;

    @Option(names = "--aws-region", hidden = true, paramLabel = "REGION")
    void deprecatedRegion(String r) {
        region = r;
    }

    @Option(names = "--aws-endpoint", hidden = true, paramLabel = "URL")
    void deprecatedEndpoint(String e) {
        endpointUrl = e;
    }

    /** Puts the given options as configuration keys into {@code into}. */
    void into(Map<String, String> into) {
        if (region != null) {
            into.put(ConfigKey.AWS_REGION.key(), region);
        }
        if (endpointUrl != null) {
            into.put(ConfigKey.AWS_ENDPOINT.key(), endpointUrl);
        }
        if (profile != null) {
            into.put(ConfigKey.AWS_PROFILE.key(), profile);
        }
    }
}
