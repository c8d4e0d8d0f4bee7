package io.trailguard.job.kinesis;

import io.trailguard.job.config.TrailguardConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;

import java.net.URI;
import java.time.Duration;

/** AWS SDK v2 Kinesis clients for the command line (publish, send) and the start-up scan of the control stream. */
public final class KinesisClients {
    private KinesisClients() {
    }

    public static KinesisClient create(TrailguardConfig config) {
        return create(config.region(), config.endpoint());
    }

    /**
     * A client for the region; with an endpoint override (a local emulator) and no credentials in the environment it
     * signs with fixed dummy credentials.
     */
    public static KinesisClient create(String region, String endpoint) {
        KinesisClientBuilder b = KinesisClient.builder()
                .region(Region.of(region))
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30))
                        .build());
        AwsCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        if (endpoint != null) {
            b.endpointOverride(URI.create(endpoint));
            if (!environmentHasCredentials()) {
                credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        KinesisSources.LOCAL_ACCESS_KEY, KinesisSources.LOCAL_ACCESS_KEY));
            }
        }
        return b.credentialsProvider(credentials).build();
    }

    /**
     * True when AWS credentials are given by environment variables or system properties, or a named profile was
     * chosen ({@code aws.profile}, set by {@code --profile}): then the default chain signs even with an endpoint
     * override.
     */
    static boolean environmentHasCredentials() {
        String env = System.getenv("AWS_ACCESS_KEY_ID");
        String prop = System.getProperty("aws.accessKeyId");
        String profile = System.getProperty("aws.profile");
        return (env != null && !env.isEmpty()) || (prop != null && !prop.isEmpty())
                || (profile != null && !profile.isEmpty());
    }
}
