package io.trailguard.job.aws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.securityhub.SecurityHubClient;

import java.net.URI;

/**
 * Builds AWS SDK v2 clients for an {@link AwsConnection}: region, optional endpoint override, the url-connection HTTP
 * client. Credentials come from the default provider chain; with an endpoint override the chain is environment
 * variables, system properties, the profile file, then fixed dummy credentials, so a local endpoint can always be
 * signed for (and no instance-metadata probe delays start-up).
 *
 * <p>{@code sinkClient} variants turn the SDK's own retries off: the sinks retry with their own budget, backoff and
 * dead-letter path, and count every attempt.
 */
public final class AwsClients {
    /** Access key and secret of the dummy credentials used with an endpoint override. */
    public static final String LOCAL_ACCESS_KEY = "trailguard-local";

    private AwsClients() {
    }

    public static SecurityHubClient securityHub(AwsConnection c) {
        return configure(SecurityHubClient.builder(), c, true);
    }

    public static CloudWatchLogsClient cloudWatchLogs(AwsConnection c) {
        return configure(CloudWatchLogsClient.builder(), c, true);
    }

    /** Any sync client builder, configured for {@code c}; {@code sdkRetries=false} disables the SDK's retries. */
    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C configure(
            B builder, AwsConnection c, boolean sdkRetries) {
        builder.region(Region.of(c.resolveRegion()))
                .credentialsProvider(credentials(c))
                .httpClient(httpClient(c))
                .overrideConfiguration(o -> {
                    o.apiCallAttemptTimeout(c.attemptTimeout());
                    if (!sdkRetries) {
                        o.retryStrategy(AwsRetryStrategy.doNotRetry());
                    }
                });
        if (c.endpoint() != null) {
            builder.endpointOverride(URI.create(c.endpoint()));
        }
        return builder.build();
    }

    public static SecurityHubClient securityHubForSink(AwsConnection c) {
        return configure(SecurityHubClient.builder(), c, false);
    }

    public static CloudWatchLogsClient cloudWatchLogsForSink(AwsConnection c) {
        return configure(CloudWatchLogsClient.builder(), c, false);
    }

    public static SdkHttpClient httpClient(AwsConnection c) {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(c.connectTimeout())
                .socketTimeout(c.attemptTimeout())
                .build();
    }

    /** The default chain; with an endpoint override: environment, system properties, profile, then dummy keys. */
    public static AwsCredentialsProvider credentials(AwsConnection c) {
        if (c.endpoint() == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        return AwsCredentialsProviderChain.builder()
                .reuseLastProviderEnabled(true)
                .credentialsProviders(
                        EnvironmentVariableCredentialsProvider.create(),
                        SystemPropertyCredentialsProvider.create(),
                        ProfileCredentialsProvider.create(),
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(LOCAL_ACCESS_KEY, LOCAL_ACCESS_KEY)))
                .build();
    }
}
