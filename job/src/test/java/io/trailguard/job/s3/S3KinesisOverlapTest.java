package io.trailguard.job.s3;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.TestEvents;
import io.trailguard.job.TestRules;
import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.kinesis.KinesisLocal;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.trailguard.job.s3.S3JobHarness.alertIds;
import static io.trailguard.job.s3.S3JobHarness.await;
import static io.trailguard.job.s3.S3JobHarness.messagesLeft;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both ingestion paths at once, as with {@code ingestion = "both"}: the same CloudTrail events arrive through
 * EventBridge → Kinesis (kinesis-local) and in a log file announced on the queue; each alerts exactly once.
 */
class S3KinesisOverlapTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    private static final String STREAM = "overlap-events";
    private static final String BUCKET = "overlap-bucket";

    @Test
    void theSameEventsThroughKinesisAndS3AlertOnce(@TempDir Path out) throws Exception {
        try (KinesisLocal kinesis = KinesisLocal.start(STREAM + ":2", List.of(STREAM));
             KinesisClient k = kinesis.client();
             LocalS3Sqs aws = LocalS3Sqs.start(); S3Client s3 = aws.s3(); SqsClient sqs = aws.sqs()) {
            s3.createBucket(r -> r.bucket(BUCKET));
            String queue = aws.createQueue(sqs, "overlap", Map.of());
            List<ObjectNode> records = S3JobHarness.users("both-", 40);
            Set<String> ids = records.stream().map(r -> r.get("eventID").asText()).collect(Collectors.toSet());
            TrailguardConfig config = S3JobHarness.config(aws, queue, out)
                    .with("events.stream", STREAM)
                    .with("aws.endpoint", kinesis.endpoint())
                    .with("events.initial_position", "TRIM_HORIZON")
                    .with("kinesis.flink.shard.getrecords.intervalmillis", "100");
            JobClient job = S3JobHarness.start(config, TestRules.base(), "s3 and kinesis overlap");
            try {
                for (ObjectNode r : records) {
                    k.putRecord(b -> b.streamName(STREAM).partitionKey(r.get("eventID").asText())
                            .data(SdkBytes.fromByteArray(TestEvents.bytes(TestEvents.envelope(r)))));
                }
                await("the Kinesis alerts", () -> new HashSet<>(alertIds(out)).containsAll(ids));
                String key = TrailFiles.key(TestEvents.ACCOUNT, "us-east-1", "2026-02-01", "overlap");
                TrailFiles.put(s3, BUCKET, key, TrailFiles.gzipLog(records));
                S3JobHarness.send(sqs, queue, TrailFiles.s3Event(BUCKET, key));
                await("the file read and its message deleted", () -> messagesLeft(sqs, queue) == 0);
                Thread.sleep(3000);
            } finally {
                S3JobHarness.stop(job);
            }
            List<String> alerts = alertIds(out);
            assertThat(new HashSet<>(alerts)).isEqualTo(ids);
            assertThat(alerts).as("each event alerts once over both paths").hasSize(ids.size());
        }
    }
}
