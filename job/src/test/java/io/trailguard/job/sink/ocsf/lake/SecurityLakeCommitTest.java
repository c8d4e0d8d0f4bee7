package io.trailguard.job.sink.ocsf.lake;

import io.trailguard.job.aws.AwsClients;
import io.trailguard.job.aws.AwsConnection;
import io.trailguard.job.s3.LocalS3Sqs;
import io.trailguard.job.sink.aws.AwsErrors;
import io.trailguard.job.sink.aws.RetryPolicy;
import io.trailguard.job.sink.ocsf.OcsfLines;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.fixtures.FixtureResult;
import io.trailguard.rules.fixtures.FixtureRunner;
import org.apache.flink.api.connector.sink2.Committer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two phases against a real S3 server (S3Proxy): staging happens when the checkpoint's commit is prepared, and
 * only the committer makes a file visible under its partition; a bucket that does not exist yet when the first file
 * is staged (S3 answers NoSuchBucket) is retried until it does, losing nothing; a commit retried after a restart
 * (the same committables again) publishes nothing twice and leaves no staging object.
 */
class SecurityLakeCommitTest {
    private static LocalS3Sqs aws;
    private static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        aws = LocalS3Sqs.start();
        s3 = aws.s3();
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
        aws.close();
    }

    private static List<Alert> alerts(int n) {
        List<Alert> out = new ArrayList<>();
        for (FixtureResult r : FixtureRunner.runBundled()) {
            for (Alert a : r.alerts()) {
                if (out.size() < n) {
                    out.add(a);
                }
            }
        }
        return out;
    }

    private static List<String> keys(String bucket) {
        return s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream().map(S3Object::key)
                .sorted().collect(Collectors.toList());
    }

    @Test
    void aMissingBucketIsWaitedForAndARetriedCommitPublishesOnce() throws Exception {
        String bucket = "lake-created-late";
        LakeLocation location = LakeLocation.parse("s3://" + bucket + "/ext/trailguard");
        AtomicInteger failures = new AtomicInteger();
        LakeS3.FailureListener createBucketOnFirstFailure = (what, error, n) -> {
            if (failures.incrementAndGet() == 1) {
                assertThat(AwsErrors.errorCode(error)).isEqualTo("NoSuchBucket");
                s3.createBucket(r -> r.bucket(bucket));
            }
        };
        AwsConnection c = AwsConnection.of("us-east-1", aws.s3Endpoint());
        RetryPolicy retry = RetryPolicy.backoff(10, 100);
        List<Alert> alerts = alerts(40);
        List<StagedObject> staged;
        try (SecurityLakeWriter writer = new SecurityLakeWriter(location,
                new LakeS3(AwsClients.s3(c), retry, createBucketOnFirstFailure), OcsfLines.system(), "job-0", 1)) {
            for (Alert a : alerts) {
                writer.write(a, null);
            }
            staged = new ArrayList<>(writer.prepareCommit());
            assertThat(writer.prepareCommit()).as("nothing new since the last checkpoint").isEmpty();
        }
        assertThat(failures.get()).as("the first upload met the missing bucket").isPositive();
        assertThat(staged).isNotEmpty();
        assertThat(staged.stream().mapToLong(StagedObject::findings).sum()).isEqualTo(alerts.size());
        assertThat(keys(bucket)).as("staged, nothing published yet")
                .allMatch(k -> k.startsWith("ext/trailguard/_trailguard_staging/region="));

        StagedObject.Serializer serializer = new StagedObject.Serializer();
        List<StagedObject> restored = new ArrayList<>();
        for (StagedObject o : staged) {
            restored.add(serializer.deserialize(serializer.getVersion(), serializer.serialize(o)));
        }
        assertThat(restored).isEqualTo(staged);

        try (SecurityLakeCommitter committer = new SecurityLakeCommitter(
                new LakeS3(AwsClients.s3(c), retry, (w, e, n) -> { }))) {
            List<Request> first = requests(staged);
            committer.commit(new ArrayList<>(first));
            assertThat(first).allMatch(r -> r.outcome.equals("committed"));
            List<Request> again = requests(restored);
            committer.commit(new ArrayList<>(again));
            assertThat(again).allMatch(r -> r.outcome.equals("already committed"));
        }
        List<String> published = keys(bucket);
        assertThat(published).containsExactlyInAnyOrderElementsOf(
                staged.stream().map(StagedObject::finalKey).collect(Collectors.toList()));
        assertThat(published).allMatch(k -> k.matches("ext/trailguard/region=[a-z0-9-]+/accountId=[0-9a-z]+/"
                + "eventDay=\\d{8}/trailguard-job-0-1\\.parquet"));
    }

    private static List<Request> requests(Collection<StagedObject> staged) {
        return staged.stream().map(Request::new).collect(Collectors.toList());
    }

    /** A commit request as Flink's committer operator hands it over, recording its outcome. */
    static final class Request implements Committer.CommitRequest<StagedObject> {
        final StagedObject committable;
        String outcome = "committed";

        Request(StagedObject committable) {
            this.committable = committable;
        }

        @Override
        public StagedObject getCommittable() {
            return committable;
        }

        @Override
        public int getNumberOfRetries() {
            return 0;
        }

        @Override
        public void signalFailedWithKnownReason(Throwable t) {
            outcome = "failed: " + t;
        }

        @Override
        public void signalFailedWithUnknownReason(Throwable t) {
            outcome = "failed: " + t;
        }

        @Override
        public void retryLater() {
            outcome = "retry";
        }

        @Override
        public void updateAndRetryLater(StagedObject committable) {
            outcome = "retry";
        }

        @Override
        public void signalAlreadyCommitted() {
            outcome = "already committed";
        }
    }
}
