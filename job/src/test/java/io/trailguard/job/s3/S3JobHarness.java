package io.trailguard.job.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.TestEvents;
import io.trailguard.job.testing.LocalJobs;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.config.TrailguardConfig;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Running the streaming job with the S3-notification source against the local servers, reading its file outputs. */
final class S3JobHarness {
    static final Duration WAIT = Duration.ofSeconds(120);

    private S3JobHarness() {
    }

    static TrailguardConfig config(LocalS3Sqs aws, String queueUrl, Path out) {
        return TrailguardConfig.empty()
                .with("events.queue", queueUrl)
                .with("s3.endpoint", aws.s3Endpoint())
                .with("sqs.endpoint", aws.sqsEndpoint())
                .with("aws.region", "us-east-1")
                .with("events.queue.visibility_timeout", "6s")
                .with("outputs", "file:" + out.resolve("alerts.jsonl"))
                .with("dead_letter.output", "file:" + out.resolve("dead-letters.jsonl"))
                .with("checkpoint.interval", "1s");
    }

    static JobClient start(TrailguardConfig config, RuleBundle startup, String name) throws Exception {
        return LocalJobs.start(config, startup, name, WAIT);
    }

    static void stop(JobClient job) throws Exception {
        LocalJobs.stop(job, WAIT);
    }

    static JobStatus status(JobClient job) {
        return LocalJobs.status(job);
    }

    /** {@code n} CreateUser records with eventIDs {@code prefix0..prefix(n-1)}. */
    static List<ObjectNode> users(String prefix, int n) {
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(TestEvents.createUser(prefix + i));
        }
        return out;
    }

    /** Messages visible plus in flight. */
    static int messagesLeft(SqsClient sqs, String queueUrl) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    static void send(SqsClient sqs, String queueUrl, String body) {
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body));
    }

    /** The JSON lines of an output file so far (a last line still being written is left out). */
    static List<JsonNode> lines(Path file) {
        return LocalJobs.lines(file);
    }

    /** The event id of every alert line, repeats included. */
    static List<String> alertIds(Path out) {
        return lines(out.resolve("alerts.jsonl")).stream().filter(n -> !n.has("type"))
                .map(n -> n.get("event_id").asText()).collect(Collectors.toList());
    }

    static List<JsonNode> deadLetters(Path out) {
        return lines(out.resolve("dead-letters.jsonl"));
    }

    static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        LocalJobs.await(what, WAIT, condition);
    }
}
