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
                .allMatch(k -> k.startsWith("_trailguard_staging/ext/trailguard/region="));

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

    /**
     * A writer that reuses a committed file's name (a job id fixed across a fresh start: the sequence starts at 1
     * again) stages other findings under it: the commit neither overwrites the committed object nor takes it for this
     * file; it publishes at the fallback key, once, also when retried.
     */
    @Test
    void aFileWhoseNameIsTakenByAnotherIsPublishedBesideItNeverOverIt() throws Exception {
        String bucket = "lake-name-taken";
        s3.createBucket(r -> r.bucket(bucket));
        LakeLocation location = LakeLocation.parse("s3://" + bucket + "/ext/trailguard");
        AwsConnection c = AwsConnection.of("us-east-1", aws.s3Endpoint());
        RetryPolicy retry = RetryPolicy.backoff(10, 100);
        List<Alert> alerts = alerts(40);
        List<StagedObject> first = stageAndCommit(location, c, retry, alerts.subList(0, 20));
        List<String> published = keys(bucket);
        assertThat(published).hasSameSizeAs(first);
        java.util.Map<String, String> tokens = new java.util.HashMap<>();
        for (String k : published) {
            tokens.put(k, s3.headObject(r -> r.bucket(bucket).key(k)).metadata().get(LakeS3.TOKEN));
        }
        List<StagedObject> second = stageAndCommit(location, c, retry, alerts.subList(20, 40));
        assertThat(second.stream().map(StagedObject::finalKey)).as("the same names again")
                .containsAnyElementsOf(first.stream().map(StagedObject::finalKey).collect(Collectors.toList()));
        for (String k : published) {
            assertThat(s3.headObject(r -> r.bucket(bucket).key(k)).metadata().get(LakeS3.TOKEN)).as(k)
                    .isEqualTo(tokens.get(k));
        }
        try (SecurityLakeCommitter committer = new SecurityLakeCommitter(
                new LakeS3(AwsClients.s3(c), retry, (w, e, n) -> { }))) {
            List<Request> again = requests(second);
            committer.commit(new ArrayList<>(again));
            assertThat(again).allMatch(r -> r.outcome.equals("already committed"));
        }
        long findings = 0;
        for (String k : keys(bucket)) {
            assertThat(k).doesNotContain("_trailguard_staging");
            java.nio.file.Path file = java.nio.file.Files.createTempFile("lake", ".parquet");
            java.nio.file.Files.delete(file);
            s3.getObject(r -> r.bucket(bucket).key(k), file);
            findings += ParquetFindings.read(file).findings.size();
            java.nio.file.Files.delete(file);
        }
        assertThat(findings).as("both writers' findings, each once").isEqualTo(alerts.size());
        assertThat(keys(bucket)).hasSize(first.size() + second.size());
    }

    private static List<StagedObject> stageAndCommit(LakeLocation location, AwsConnection c, RetryPolicy retry,
                                                     List<Alert> alerts) throws Exception {
        List<StagedObject> staged;
        try (SecurityLakeWriter writer = new SecurityLakeWriter(location,
                new LakeS3(AwsClients.s3(c), retry, (w, e, n) -> { }), OcsfLines.system(), "job-0", 1)) {
            for (Alert a : alerts) {
                writer.write(a, null);
            }
            staged = new ArrayList<>(writer.prepareCommit());
        }
        try (SecurityLakeCommitter committer = new SecurityLakeCommitter(
                new LakeS3(AwsClients.s3(c), retry, (w, e, n) -> { }))) {
            List<Request> r = requests(staged);
            committer.commit(new ArrayList<>(r));
            assertThat(r).allMatch(q -> q.outcome.equals("committed"));
        }
        return staged;
    }

    /**
     * With a target object size far below one checkpoint's findings, a partition's file is closed when it reaches it
     * and the findings go on in further parts ({@code -pN}), all staged and committed at the checkpoint.
     */
    @Test
    void aFileThatReachesTheTargetObjectSizeIsContinuedInANewPart() throws Exception {
        String bucket = "lake-parts";
        s3.createBucket(r -> r.bucket(bucket));
        LakeLocation location = LakeLocation.parse("s3://" + bucket + "/ext/trailguard");
        AwsConnection c = AwsConnection.of("us-east-1", aws.s3Endpoint());
        RetryPolicy retry = RetryPolicy.backoff(10, 100);
        List<Alert> alerts = alerts(60);
        List<StagedObject> staged;
        try (SecurityLakeWriter writer = new SecurityLakeWriter(location, LakeFormat.of("zstd", "8kb", "8kb"),
                new LakeS3(AwsClients.s3(c), retry, (w, e, n) -> { }), OcsfLines.system(), "job-0", 1)) {
            for (Alert a : alerts) {
                writer.write(a, null);
            }
            staged = new ArrayList<>(writer.prepareCommit());
        }
        long partitions = staged.stream().map(o -> o.finalKey().substring(0, o.finalKey().lastIndexOf('/')))
                .distinct().count();
        assertThat(staged.size()).as("more objects than partitions").isGreaterThan((int) partitions);
        assertThat(staged).anyMatch(o -> o.finalKey().endsWith("/trailguard-job-0-1-p1.parquet"));
        try (SecurityLakeCommitter committer = new SecurityLakeCommitter(
                new LakeS3(AwsClients.s3(c), retry, (w, e, n) -> { }))) {
            committer.commit(new ArrayList<>(requests(staged)));
        }
        long findings = 0;
        for (String k : keys(bucket)) {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("lake", ".parquet");
            java.nio.file.Files.delete(file);
            s3.getObject(r -> r.bucket(bucket).key(k), file);
            findings += ParquetFindings.read(file).findings.size();
            java.nio.file.Files.delete(file);
        }
        assertThat(keys(bucket)).hasSize(staged.size());
        assertThat(findings).isEqualTo(alerts.size());
    }

    /** The staging location must be outside the output location: Athena reads every object under it. */
    @Test
    void aStagingLocationInsideTheOutputIsRefused() {
        LakeLocation l = LakeLocation.parse("s3://bucket-a/ext/trailguard");
        assertThat(l.stagingUri()).isEqualTo("s3://bucket-a/_trailguard_staging/ext/trailguard");
        assertThat(LakeLocation.parse("s3://bucket-a/ext/trailguard", "s3://bucket-b/ext/trailguard").stagingUri())
                .isEqualTo("s3://bucket-b/ext/trailguard");
        assertThat(LakeLocation.parse("s3://bucket-a/ext/trailguard", "s3://bucket-a/ext/trailguard-staging")
                .stagingPrefix())
                .isEqualTo("ext/trailguard-staging/");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> LakeLocation.parse("s3://bucket-a/ext/trailguard", "s3://bucket-a/ext/trailguard/_staging"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inside the output location");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LakeLocation.parse("s3://bucket-a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lake.staging");
        assertThat(LakeLocation.parse("s3://bucket-a", "s3://bucket-a-staging").stagingUri())
                .isEqualTo("s3://bucket-a-staging");
    }

    /** A committable of version 1 (staging in the same bucket, no token) is still read. */
    @Test
    void aVersionOneCommittableIsRead() throws Exception {
        org.apache.flink.core.memory.DataOutputSerializer out = new org.apache.flink.core.memory.DataOutputSerializer(64);
        out.writeUTF("b");
        out.writeUTF("s/k");
        out.writeUTF("f/k");
        out.writeLong(3);
        StagedObject o = new StagedObject.Serializer().deserialize(1, out.getCopyOfBuffer());
        assertThat(o).isEqualTo(new StagedObject("b", "f/k", "b", "s/k", null, 3));
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
