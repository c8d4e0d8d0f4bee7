package io.trailguard.job.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.TestEvents;
import io.trailguard.job.TestRules;
import io.trailguard.job.config.TrailguardConfig;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.trailguard.job.s3.S3JobHarness.alertIds;
import static io.trailguard.job.s3.S3JobHarness.await;
import static io.trailguard.job.s3.S3JobHarness.deadLetters;
import static io.trailguard.job.s3.S3JobHarness.messagesLeft;
import static io.trailguard.job.s3.S3JobHarness.send;
import static io.trailguard.job.s3.S3JobHarness.users;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming job with the S3-notification source against real local S3 (S3Proxy) and SQS (ElasticMQ) servers,
 * through the AWS SDK clients. Every test asserts by eventID that each record alerted exactly once, and that every
 * message was deleted (the queue is empty, nothing in flight). The visibility timeout is 6 s, shorter than the time
 * the larger files are in flight, so a message that was not extended would be read again and alert twice.
 */
class S3SourceEndToEndTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());
    private static final String BUCKET = "trail-bucket";
    private static LocalS3Sqs aws;
    private static S3Client s3;
    private static SqsClient sqs;

    @BeforeAll
    static void startServers() throws Exception {
        aws = LocalS3Sqs.start();
        s3 = aws.s3();
        sqs = aws.sqs();
        s3.createBucket(r -> r.bucket(BUCKET));
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (s3 != null) {
            s3.close();
            sqs.close();
        }
        if (aws != null) {
            aws.close();
        }
    }

    private static String file(String key, List<ObjectNode> records) {
        TrailFiles.put(s3, BUCKET, key, TrailFiles.gzipLog(records));
        return key;
    }

    private static Set<String> ids(List<ObjectNode> records) {
        return records.stream().map(r -> r.get("eventID").asText()).collect(Collectors.toSet());
    }

    private static void assertEachOnceAndQueueDrained(Path out, String queue, Set<String> expected)
            throws InterruptedException {
        await(expected.size() + " alerts and an empty queue", () -> alertIds(out).size() >= expected.size()
                && messagesLeft(sqs, queue) == 0);
        Thread.sleep(8000); // longer than the visibility timeout: a message not deleted would come back by now
        List<String> alerts = alertIds(out);
        assertThat(new HashSet<>(alerts)).isEqualTo(expected);
        assertThat(alerts).as("each record alerts once").hasSameSizeAs(expected);
        assertThat(messagesLeft(sqs, queue)).isZero();
    }

    @Test
    void everyNotificationShapeIsReadOnceAndItsMessageDeleted(@TempDir Path out) throws Exception {
        String queue = aws.createQueue(sqs, "shapes", Map.of());
        String day = "2026-02-01";
        List<ObjectNode> all = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        List<ObjectNode> a = users("direct-", 3);
        bodies.add(TrailFiles.s3Event(BUCKET, file(TrailFiles.key(TestEvents.ACCOUNT, "us-east-1", day, "a"), a)));
        List<ObjectNode> b = users("sns-", 3);
        bodies.add(TrailFiles.sns(TrailFiles.s3Event(BUCKET,
                file(TrailFiles.key(TestEvents.ACCOUNT, "us-east-1", day, "b"), b))));
        List<ObjectNode> c1 = users("ct1-", 3);
        List<ObjectNode> c2 = users("ct2-", 3);
        bodies.add(TrailFiles.cloudTrail(BUCKET, file(TrailFiles.key(TestEvents.ACCOUNT, "us-east-1", day, "c1"), c1),
                file(TrailFiles.key(TestEvents.ACCOUNT, "eu-west-1", day, "c2"), c2)));
        List<ObjectNode> d = users("ctsns-", 3);
        bodies.add(TrailFiles.sns(TrailFiles.cloudTrail(BUCKET,
                file(TrailFiles.key(TestEvents.ACCOUNT, "us-east-1", day, "d"), d))));
        List<ObjectNode> e = users("eb-", 3);
        bodies.add(TrailFiles.eventBridge(BUCKET, file(TrailFiles.key(TestEvents.ACCOUNT, "us-east-1", day, "e"), e)));
        bodies.add(TrailFiles.testEvent(BUCKET));
        bodies.add(TrailFiles.sns(TrailFiles.testEvent(BUCKET)));
        for (List<ObjectNode> l : Arrays.asList(a, b, c1, c2, d, e)) {
            all.addAll(l);
        }
        JobClient job = S3JobHarness.start(S3JobHarness.config(aws, queue, out), TestRules.base(), "s3 shapes");
        try {
            for (String body : bodies) {
                send(sqs, queue, body);
            }
            assertEachOnceAndQueueDrained(out, queue, ids(all));
            assertThat(deadLetters(out)).isEmpty();
        } finally {
            S3JobHarness.stop(job);
        }
    }

    @Test
    void organizationTrailFilesAreFilteredByAccountAndRegionFromTheKeyWithoutFetching(@TempDir Path out)
            throws Exception {
        String queue = aws.createQueue(sqs, "org", Map.of());
        String org = "o-aa111bb222";
        String day = "2026-02-01";
        List<ObjectNode> kept = users("kept-", 5);
        List<ObjectNode> insight = users("insight-", 2);
        String keptKey = file(TrailFiles.orgKey(org, "444455556666", "eu-west-1", day, "k"), kept);
        String insightKey = "AWSLogs/" + org + "/444455556666/CloudTrail-Insight/eu-west-1/2026/02/01/"
                + "444455556666_CloudTrail-Insight_eu-west-1_20260201T1000Z_i.json.gz";
        file(insightKey, insight);
        // none of these is uploaded: fetching any would dead-letter it (no such key)
        String otherAccount = TrailFiles.orgKey(org, "777788889999", "eu-west-1", day, "x");
        String otherRegion = TrailFiles.orgKey(org, "444455556666", "us-east-1", day, "y");
        String digest = "AWSLogs/" + org + "/444455556666/CloudTrail-Digest/eu-west-1/2026/02/01/"
                + "444455556666_CloudTrail-Digest_eu-west-1_org_eu-west-1_20260201T100000Z.json.gz";
        String notCloudTrail = "AWSLogs/444455556666/elasticloadbalancing/eu-west-1/2026/02/01/lb.log.gz";
        TrailguardConfig config = S3JobHarness.config(aws, queue, out)
                .with("events.accounts", "444455556666,111122223333")
                .with("events.regions", "eu-west-1");
        JobClient job = S3JobHarness.start(config, TestRules.base(), "s3 org filter");
        try {
            send(sqs, queue, TrailFiles.s3Event(BUCKET, keptKey, otherAccount));
            send(sqs, queue, TrailFiles.s3Event(BUCKET, otherRegion, digest, notCloudTrail));
            send(sqs, queue, TrailFiles.sns(TrailFiles.s3Event(BUCKET, insightKey)));
            Set<String> expected = new HashSet<>(ids(kept));
            expected.addAll(ids(insight));
            assertEachOnceAndQueueDrained(out, queue, expected);
            assertThat(deadLetters(out)).as("no skipped file was fetched").isEmpty();
        } finally {
            S3JobHarness.stop(job);
        }
    }

    @Test
    void unreadableFilesAreDeadLetteredWithBucketKeyAndReasonAndTheirMessagesHandled(@TempDir Path out)
            throws Exception {
        String queue = aws.createQueue(sqs, "corrupt", Map.of());
        String day = "2026-02-01";
        List<ObjectNode> before = users("before-", 300);
        byte[] gz = TrailFiles.gzipLog(before);
        String truncated = TrailFiles.key(TestEvents.ACCOUNT, "us-east-1", day, "truncated");
        TrailFiles.put(s3, BUCKET, truncated, Arrays.copyOf(gz, gz.length * 2 / 3));
        String notJson = TrailFiles.key(TestEvents.ACCOUNT, "us-east-1", day, "notjson");
        TrailFiles.put(s3, BUCKET, notJson, "this is not a log file".getBytes(StandardCharsets.UTF_8));
        String missing = TrailFiles.key(TestEvents.ACCOUNT, "us-east-1", day, "missing");
        List<ObjectNode> good = users("good-", 4);
        String goodKey = file(TrailFiles.key(TestEvents.ACCOUNT, "us-east-1", day, "good"), good);
        JobClient job = S3JobHarness.start(S3JobHarness.config(aws, queue, out), TestRules.base(), "s3 corrupt");
        try {
            send(sqs, queue, TrailFiles.s3Event(BUCKET, truncated));
            send(sqs, queue, TrailFiles.s3Event(BUCKET, notJson, missing));
            send(sqs, queue, TrailFiles.s3Event(BUCKET, goodKey));
            await("three dead letters and an empty queue", () -> deadLetters(out).size() >= 3
                    && messagesLeft(sqs, queue) == 0 && alertIds(out).containsAll(ids(good)));
            Thread.sleep(8000);
            assertThat(messagesLeft(sqs, queue)).isZero();
            List<JsonNode> dead = deadLetters(out);
            assertThat(dead).hasSize(3);
            Map<String, String> reasons = dead.stream().collect(Collectors.toMap(n -> n.get("origin").asText(),
                    n -> n.get("reason").asText()));
            assertThat(reasons).containsOnlyKeys("s3://" + BUCKET + "/" + truncated, "s3://" + BUCKET + "/" + notJson,
                    "s3://" + BUCKET + "/" + missing);
            assertThat(reasons.get("s3://" + BUCKET + "/" + truncated)).contains("after record").contains("gzip");
            assertThat(reasons.get("s3://" + BUCKET + "/" + notJson)).contains("JsonParseException");
            assertThat(reasons.get("s3://" + BUCKET + "/" + missing)).contains("NoSuchKey");
            // the records before the corruption were evaluated, once
            List<String> alerts = alertIds(out);
            assertThat(alerts).doesNotHaveDuplicates();
            assertThat(alerts.stream().filter(id -> id.startsWith("before-")).count()).isPositive();
            assertThat(alerts).containsAll(ids(good));
        } finally {
            S3JobHarness.stop(job);
        }
    }

    @Test
    void aFileOfFiftyThousandRecordsIsStreamedAndEveryRecordEvaluatedOnce(@TempDir Path out) throws Exception {
        String queue = aws.createQueue(sqs, "big", Map.of());
        List<ObjectNode> records = users("big-", 50_000);
        String key = file(TrailFiles.key(TestEvents.ACCOUNT, "us-east-1", "2026-02-01", "big"), records);
        JobClient job = S3JobHarness.start(S3JobHarness.config(aws, queue, out), TestRules.base(), "s3 big file");
        try {
            send(sqs, queue, TrailFiles.s3Event(BUCKET, key));
            assertEachOnceAndQueueDrained(out, queue, ids(records));
        } finally {
            S3JobHarness.stop(job);
        }
    }
}
