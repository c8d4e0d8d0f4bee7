package io.trailguard.job.aws;

import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.securityhub.SecurityHubClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.time.Duration;

/**
 * The one factory of the AWS SDK v2 clients (Kinesis, KMS, S3, SQS, Security Hub, CloudWatch Logs): every client
 * gets the {@link AwsConnection}'s region ({@link AwsConnection#resolveRegion}), endpoint override, the credentials of
 * {@link AwsCredentialPolicy}, and the url-connection HTTP client, which speaks HTTP/1.1 only, as the local servers
 * (kinesis-local, S3Proxy, ElasticMQ) need. S3 clients use path-style addressing and checksums only where required
 * with an endpoint override: local S3 servers know neither per-bucket host names nor the SDK's flexible checksums.
 *
 * <p>The {@code ForSink} variants turn the SDK's own retries off: the sinks retry with their own budget, backoff and
 * dead-letter path, and count every attempt.
 */
public final class AwsClients {
    private AwsClients() {
    }

    /** Kinesis for the command line and the start-up scans: 30 s per attempt. */
    public static KinesisClient kinesis(AwsConnection c) {
        return configure(KinesisClient.builder(), c.withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30)), true);
    }

    public static KmsClient kms(AwsConnection c) {
        return configure(KmsClient.builder(), c.withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30)), true);
    }

    /** SQS: 40 s per attempt, above a receive's longest wait. */
    public static SqsClient sqs(AwsConnection c) {
        return configure(SqsClient.builder(), c.withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(40)), true);
    }

    /**
     * S3: a 60 s socket timeout and no per-attempt timeout, since an object's body is streamed while its records are
     * read.
     */
    public static S3Client s3(AwsConnection c) {
        AwsConnection s = c.withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(60));
        S3ClientBuilder b = S3Client.builder();
        connect(b, s);
        if (s.endpoint() != null) {
            b.forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return b.build();
    }

    public static SecurityHubClient securityHub(AwsConnection c) {
        return configure(SecurityHubClient.builder(), c, true);
    }

    public static CloudWatchLogsClient cloudWatchLogs(AwsConnection c) {
        return configure(CloudWatchLogsClient.builder(), c, true);
    }

    public static SecurityHubClient securityHubForSink(AwsConnection c) {
        return configure(SecurityHubClient.builder(), c, false);
    }

    public static CloudWatchLogsClient cloudWatchLogsForSink(AwsConnection c) {
        return configure(CloudWatchLogsClient.builder(), c, false);
    }

    /**
     * Any sync client builder, configured for {@code c} with its attempt timeout; {@code sdkRetries=false} disables
     * the SDK's retries.
     */
    static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C configure(
            B builder, AwsConnection c, boolean sdkRetries) {
        connect(builder, c);
        builder.overrideConfiguration(o -> {
            o.apiCallAttemptTimeout(c.attemptTimeout());
            if (!sdkRetries) {
                o.retryStrategy(AwsRetryStrategy.doNotRetry());
            }
        });
        return builder.build();
    }

    /** Region, credentials, HTTP client and endpoint override. */
    private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> void connect(
            B builder, AwsConnection c) {
        builder.region(Region.of(c.resolveRegion()))
                .credentialsProvider(AwsCredentialPolicy.provider(c))
                .httpClient(httpClient(c));
        if (c.endpoint() != null) {
            builder.endpointOverride(URI.create(c.endpoint()));
        }
    }

    private static SdkHttpClient httpClient(AwsConnection c) {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(c.connectTimeout())
                .socketTimeout(c.attemptTimeout())
                .build();
    }
}
