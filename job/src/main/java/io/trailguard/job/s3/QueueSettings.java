package io.trailguard.job.s3;

import io.trailguard.job.aws.AwsClients;
import io.trailguard.job.aws.AwsConnection;
import io.trailguard.job.aws.AwsCredentialPolicy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.Serializable;
import java.time.Duration;

/**
 * What the S3-notification source needs to reach its queue and the trail bucket: the queue (name or URL), region,
 * endpoint overrides for S3 and SQS (local servers), the named AWS profile, which files to read, and the visibility timeout it holds
 * messages with while their files are in flight.
 */
public final class QueueSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String queue;
    private final String region;
    private final String sqsEndpoint;
    private final String s3Endpoint;
    private final String profile;
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
        this.profile = null;
        this.filter = filter;
        this.visibilitySeconds = visibility.getSeconds();
    }

    private QueueSettings(String queue, String region, String sqsEndpoint, String s3Endpoint, String profile,
                          TrailFilter filter, long visibilitySeconds) {
        this.queue = queue;
        this.region = region;
        this.sqsEndpoint = sqsEndpoint;
        this.s3Endpoint = s3Endpoint;
        this.profile = profile;
        this.filter = filter;
        this.visibilitySeconds = visibilitySeconds;
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

    /** The named AWS profile, or null. */
    public String profile() {
        return profile;
    }

    /** The same settings signing with the named profile ({@link AwsCredentialPolicy}). */
    public QueueSettings withProfile(String p) {
        return new QueueSettings(queue, region, sqsEndpoint, s3Endpoint, p, filter, visibilitySeconds);
    }

    public SqsClient sqs() {
        return AwsClients.sqs(AwsConnection.of(region, sqsEndpoint).withProfile(profile));
    }

    /** Path-style addressing with an endpoint override (local servers have no per-bucket host names). */
    public S3Client s3() {
        return AwsClients.s3(AwsConnection.of(region, s3Endpoint).withProfile(profile));
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
