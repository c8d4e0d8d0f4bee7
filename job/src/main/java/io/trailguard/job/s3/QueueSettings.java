package io.trailguard.job.s3;

import io.trailguard.job.aws.AwsClients;
import io.trailguard.job.aws.AwsConnection;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;

/**
 * What the S3-notification source needs to reach its queue and the trail bucket: the queue (name or URL), region,
 * endpoint overrides for S3 and SQS (local servers), which files to read, and the visibility timeout it holds
 * messages with while their files are in flight.
 */
public final class QueueSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String queue;
    private final String region;
    private final String sqsEndpoint;
    private final String s3Endpoint;
    private final TrailFilter filter;
    private final long visibilitySeconds;

    public QueueSettings(String queue, String region, String sqsEndpoint, String s3Endpoint, TrailFilter filter,
                         Duration visibility) {
        if (visibility.getSeconds() < 3 || visibility.getSeconds() > 12 * 3600) {
            throw new IllegalArgumentException("the visibility timeout must be between 3 s and 12 h, not "
                    + visibility);
        }
        this.queue = queue;
        this.region = region;
        this.sqsEndpoint = sqsEndpoint;
        this.s3Endpoint = s3Endpoint;
        this.filter = filter;
        this.visibilitySeconds = visibility.getSeconds();
    }

    /** The queue as given: a name or a {@code https://sqs.REGION.amazonaws.com/ACCOUNT/NAME} URL. */
    public String queue() {
        return queue;
    }

    public TrailFilter filter() {
        return filter;
    }

    public int visibilitySeconds() {
        return (int) visibilitySeconds;
    }

    public SqsClient sqs() {
        AwsConnection c = AwsConnection.of(region, sqsEndpoint);
        SqsClientBuilder b = SqsClient.builder().region(Region.of(c.resolveRegion()))
                .credentialsProvider(AwsClients.credentials(c))
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(40)).build());
        if (sqsEndpoint != null) {
            b.endpointOverride(URI.create(sqsEndpoint));
        }
        return b.build();
    }

    /** Path-style addressing with an endpoint override (local servers have no per-bucket host names). */
    public S3Client s3() {
        AwsConnection c = AwsConnection.of(region, s3Endpoint);
        S3ClientBuilder b = S3Client.builder().region(Region.of(c.resolveRegion()))
                .credentialsProvider(AwsClients.credentials(c))
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(60)).build());
        if (s3Endpoint != null) {
            // local S3 servers know neither per-bucket host names nor the SDK's default flexible checksums
            b.endpointOverride(URI.create(s3Endpoint)).forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return b.build();
    }

    /** The queue URL: as given, or looked up by name. */
    public String resolveQueueUrl(SqsClient sqs) {
        if (queue.startsWith("https://") || queue.startsWith("http://")) {
            return queue;
        }
        return sqs.getQueueUrl(r -> r.queueName(queue)).queueUrl();
    }

    @Override
    public String toString() {
        return "queue " + queue + ", " + filter;
    }
}
