package io.trailguard.job.kinesis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.TestEvents;
import io.trailguard.job.testing.LocalJobs;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.config.TrailguardConfig;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Running the streaming job against kinesis-local in the test's MiniCluster and reading its file output. */
final class KinesisJobHarness {
    static final Duration WAIT = Duration.ofSeconds(90);

    private KinesisJobHarness() {
    }

    static TrailguardConfig config(KinesisLocal kinesis, String events, String control, Path out) {
        TrailguardConfig c = TrailguardConfig.empty()
                .with("events.stream", events)
                .with("aws.endpoint", kinesis.endpoint())
                .with("events.initial_position", "TRIM_HORIZON")
                .with("outputs", "file:" + out.resolve("alerts.jsonl"))
                .with("dead_letter.output", "file:" + out.resolve("dead-letters.jsonl"))
                .with("checkpoint.interval", "1s")
                .with("control.bootstrap_timeout", "10s")
                .with("kinesis.flink.shard.getrecords.intervalmillis", "100");
        return control == null ? c : c.with("control.stream", control);
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

    static void putEvent(KinesisClient client, String stream, String partitionKey, ObjectNode record) {
        client.putRecord(b -> b.streamName(stream).partitionKey(partitionKey)
                .data(SdkBytes.fromByteArray(TestEvents.bytes(TestEvents.envelope(record)))));
    }

    /**
     * Puts the records with PutRecords (≤ 500 a call), each under its own partition key, retrying failed entries;
     * returns the shard each record landed on.
     */
    static List<String> putEvents(KinesisClient client, String stream, List<ObjectNode> records) {
        List<String> shards = new ArrayList<>();
        for (int from = 0; from < records.size(); from += 500) {
            List<PutRecordsRequestEntry> entries = new ArrayList<>();
            for (ObjectNode r : records.subList(from, Math.min(records.size(), from + 500))) {
                entries.add(PutRecordsRequestEntry.builder().partitionKey(r.get("eventID").asText())
                        .data(SdkBytes.fromByteArray(TestEvents.bytes(TestEvents.envelope(r)))).build());
            }
            while (!entries.isEmpty()) {
                List<PutRecordsRequestEntry> batch = entries;
                software.amazon.awssdk.services.kinesis.model.PutRecordsResponse resp = client.putRecords(b -> b
                        .streamName(stream).records(batch));
                List<PutRecordsRequestEntry> retry = new ArrayList<>();
                for (int i = 0; i < batch.size(); i++) {
                    if (resp.records().get(i).errorCode() != null) {
                        retry.add(batch.get(i));
                    } else {
                        shards.add(resp.records().get(i).shardId());
                    }
                }
                entries = retry;
            }
        }
        return shards;
    }

    /** The JSON lines of an output file so far (a last line still being written is left out). */
    static List<JsonNode> lines(Path file) {
        return LocalJobs.lines(file);
    }

    /** {@code rule@event_id} of every alert line, repeats included. */
    static List<String> alerts(Path file) {
        return alertLines(file).stream().map(n -> n.get("rule").asText() + "@" + n.get("event_id").asText())
                .collect(Collectors.toList());
    }

    static List<JsonNode> alertLines(Path file) {
        return lines(file).stream().filter(n -> !n.has("type")).collect(Collectors.toList());
    }

    static List<JsonNode> statuses(Path file, String status) {
        return lines(file).stream().filter(n -> n.path("type").asText().equals("rule_status")
                && n.get("status").asText().equals(status)).collect(Collectors.toList());
    }

    static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        await(what, WAIT, condition);
    }

    static void await(String what, Duration wait, Supplier<Boolean> condition) throws InterruptedException {
        LocalJobs.await(what, wait, condition);
    }

    /** The newest {@code chk-N} directory with metadata that satisfies {@code p}, or null. */
    static Path latestCheckpoint(Path root, Predicate<Path> p) {
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(f -> f.getFileName().toString().equals("_metadata"))
                    .filter(p)
                    .map(Path::getParent)
                    .filter(d -> d.getFileName().toString().startsWith("chk-"))
                    .max(Comparator.comparingLong(d -> Long.parseLong(d.getFileName().toString().substring(4))))
                    .orElse(null);
        } catch (IOException | java.io.UncheckedIOException e) {
            return null;
        }
    }
}
