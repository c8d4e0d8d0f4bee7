package io.trailguard.job.s3;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Real local S3 and SQS servers in this JVM: S3Proxy with jclouds' in-memory ({@code transient}) blob store, without
 * request authentication unless started with an access key ({@link #startRequiring}), and ElasticMQ. Clients are the real AWS SDK clients with endpoint overrides. Its
 * {@link #main} keeps both running for {@code deployment/local/s3-start.sh}.
 */
public final class LocalS3Sqs implements AutoCloseable {
    private final S3Proxy s3Proxy;
    private final BlobStoreContext blobs;
    private final SQSRestServer sqsServer;
    private final int sqsPort;

    private LocalS3Sqs(S3Proxy s3Proxy, BlobStoreContext blobs, SQSRestServer sqsServer, int sqsPort) {
        this.s3Proxy = s3Proxy;
        this.blobs = blobs;
        this.sqsServer = sqsServer;
        this.sqsPort = sqsPort;
    }

    /** Both servers on free ports. */
    public static LocalS3Sqs start() throws Exception {
        return start(0, 0);
    }

    /** Both servers on the given ports (0: a free port). */
    public static LocalS3Sqs start(int s3Port, int sqsPort) throws Exception {
        return start(s3Port, sqsPort, null, null);
    }

    /**
     * Both servers on free ports; S3Proxy checks every request's AWS signature (V2 or V4) and accepts only this
     * access key and secret (403 otherwise).
     */
    public static LocalS3Sqs startRequiring(String accessKey, String secret) throws Exception {
        return start(0, 0, accessKey, secret);
    }

    private static LocalS3Sqs start(int s3Port, int sqsPort, String accessKey, String secret) throws Exception {
        BlobStoreContext blobs = ContextBuilder.newBuilder("transient").credentials("local", "local")
                .build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder().blobStore(blobs.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:" + s3Port))
                .awsAuthentication(accessKey == null ? AuthenticationType.NONE : AuthenticationType.AWS_V2_OR_V4,
                        accessKey, secret)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(20);
        }
        SQSRestServer sqs = (sqsPort == 0 ? SQSRestServerBuilder.withDynamicPort() : SQSRestServerBuilder
                .withPort(sqsPort)).withInterface("127.0.0.1").start();
        int port = sqs.waitUntilStarted().localAddress().getPort();
        return new LocalS3Sqs(proxy, blobs, sqs, port);
    }

    public String s3Endpoint() {
        return "http://127.0.0.1:" + s3Proxy.getPort();
    }

    public String sqsEndpoint() {
        return "http://127.0.0.1:" + sqsPort;
    }

    /** Clients as the job builds them (the same settings class). */
    public S3Client s3() {
        return settings("unused").s3();
    }

    public SqsClient sqs() {
        return settings("unused").sqs();
    }

    QueueSettings settings(String queue) {
        return new QueueSettings(queue, "us-east-1", sqsEndpoint(), s3Endpoint(), TrailFilter.all(),
                Duration.ofSeconds(30));
    }

    /** Creates a queue and returns its URL. */
    public String createQueue(SqsClient sqs, String name, Map<QueueAttributeName, String> attributes) {
        return sqs.createQueue(r -> r.queueName(name).attributes(attributes)).queueUrl();
    }

    @Override
    public void close() throws Exception {
        try {
            sqsServer.stopAndWait();
        } finally {
            s3Proxy.stop();
            blobs.close();
        }
    }

    /**
     * {@code LocalS3Sqs [S3_PORT [SQS_PORT]]}: runs both servers (defaults 9090 and 9324) until the process is
     * stopped, and prints their endpoints.
     */
    public static void main(String[] args) throws Exception {
        int s3Port = args.length > 0 ? Integer.parseInt(args[0]) : 9090;
        int sqsPort = args.length > 1 ? Integer.parseInt(args[1]) : 9324;
        LocalS3Sqs servers = start(s3Port, sqsPort);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                servers.close();
            } catch (Exception e) {
                System.err.println("stopping the local servers: " + e);
            }
        }));
        System.out.println("local S3 (S3Proxy, in memory) at " + servers.s3Endpoint() + ", local SQS (ElasticMQ) at "
                + servers.sqsEndpoint());
        System.out.flush();
        Thread.currentThread().join();
    }
}
