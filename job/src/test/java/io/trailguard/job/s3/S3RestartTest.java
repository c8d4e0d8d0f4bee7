package io.trailguard.job.s3;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.TestEvents;
import io.trailguard.job.TestRules;
import io.trailguard.job.config.TrailguardConfig;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.trailguard.job.s3.S3JobHarness.alertIds;
import static io.trailguard.job.s3.S3JobHarness.await;
import static io.trailguard.job.s3.S3JobHarness.messagesLeft;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole job stopped in the middle of a large CloudTrail file and restored from its latest retained checkpoint:
 * by eventID no record is lost, the file's message is deleted once the restored job has read the rest, and the
 * records evaluated again (those after the checkpoint) alert at most once more.
 */
class S3RestartTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    private static final String BUCKET = "restart-bucket";
    private static final int RECORDS = 200_000;

    @Test
    void restoredMidFileLosesNoRecordAndDeletesTheMessageOnce(@TempDir Path dir) throws Exception {
        try (LocalS3Sqs aws = LocalS3Sqs.start(); S3Client s3 = aws.s3(); SqsClient sqs = aws.sqs()) {
            s3.createBucket(r -> r.bucket(BUCKET));
            String queue = aws.createQueue(sqs, "restart", Map.of());
            List<ObjectNode> records = new ArrayList<>();
            Set<String> alerting = new HashSet<>();
            for (int i = 0; i < RECORDS; i++) {
                if (i % 4 == 0) {
                    records.add(TestEvents.createUser("r" + i));
                    alerting.add("r" + i);
                } else {
                    records.add(TestEvents.describeInstances("r" + i));
                }
            }
            String key = TrailFiles.key(TestEvents.ACCOUNT, "us-east-1", "2026-02-01", "restart");
            TrailFiles.put(s3, BUCKET, key, TrailFiles.gzipLog(records));
            Path checkpoints = dir.resolve("checkpoints");
            Path run1 = dir.resolve("run1");
            Path run2 = dir.resolve("run2");
            TrailguardConfig config = S3JobHarness.config(aws, queue, run1)
                    .with("checkpoint.dir", checkpoints.toString())
                    .with("checkpoint.interval", "500ms");
            JobClient first = S3JobHarness.start(config, TestRules.base(), "s3 restart, run 1");
            int beforeStop;
            try {
                S3JobHarness.send(sqs, queue, TrailFiles.s3Event(BUCKET, key));
                await("first alerts", () -> alertIds(run1).size() >= 2000);
                long seen = System.currentTimeMillis();
                await("a checkpoint after them", () -> latestCheckpoint(checkpoints, seen + 600) != null);
            } finally {
                S3JobHarness.stop(first);
            }
            beforeStop = alertIds(run1).size();
            assertThat(beforeStop).as("stopped inside the file").isLessThan(alerting.size());
            assertThat(messagesLeft(sqs, queue)).as("the message of the unfinished file is not deleted").isEqualTo(1);
            Path restoreFrom = latestCheckpoint(checkpoints, 0);

            JobClient second = S3JobHarness.start(S3JobHarness.config(aws, queue, run2)
                    .with("checkpoint.dir", checkpoints.toString())
                    .with("checkpoint.interval", "500ms")
                    .with("checkpoint.restore", restoreFrom.toString()), TestRules.base(), "s3 restart, run 2");
            try {
                await("every alert and an empty queue", () -> union(run1, run2).containsAll(alerting)
                        && messagesLeft(sqs, queue) == 0);
                Thread.sleep(8000); // past the visibility timeout: a message not deleted would be read again
            } finally {
                S3JobHarness.stop(second);
            }
            assertThat(union(run1, run2)).isEqualTo(alerting);
            List<String> afterRestore = alertIds(run2);
            assertThat(afterRestore).as("the restored run writes each alert once").doesNotHaveDuplicates();
            assertThat(messagesLeft(sqs, queue)).isZero();
            long repeats = afterRestore.stream().filter(new HashSet<>(alertIds(run1))::contains).count();
            assertThat(repeats).as("only records after the restored checkpoint are evaluated again")
                    .isLessThan(beforeStop);
        }
    }

    private static Set<String> union(Path a, Path b) {
        Set<String> s = new HashSet<>(alertIds(a));
        s.addAll(alertIds(b));
        return s;
    }

    /** The newest complete {@code chk-N} written after {@code after} (epoch millis), or null. */
    private static Path latestCheckpoint(Path root, long after) {
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(f -> f.getFileName().toString().equals("_metadata"))
                    .filter(f -> f.toFile().lastModified() > after)
                    .map(Path::getParent)
                    .filter(d -> d.getFileName().toString().startsWith("chk-"))
                    .max(Comparator.comparingLong(d -> Long.parseLong(d.getFileName().toString().substring(4))))
                    .orElse(null);
        } catch (IOException | java.io.UncheckedIOException e) {
            return null;
        }
    }
}
