package io.trailguard.job.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.serde.JobJson;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code LocalTrailUpload S3_ENDPOINT SQS_ENDPOINT BUCKET QUEUE}: writes the bundled sample events to a local S3
 * server as a trail would (gzip log files under {@code AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/}, one per
 * account, region and day, plus a digest file) and announces each on the queue with an S3 event notification, after
 * S3's test event. Creates the bucket and the queue when missing. Used by {@code deployment/local/s3-run.sh}.
 */
public final class LocalTrailUpload {
    private static final String[] SAMPLES = {"io/trailguard/job/samples/cloudtrail-log-file.json",
        "io/trailguard/job/samples/eventbridge-events.jsonl"};

    private LocalTrailUpload() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: LocalTrailUpload S3_ENDPOINT SQS_ENDPOINT BUCKET QUEUE");
            System.exit(2);
        }
        QueueSettings c = new QueueSettings(args[3], "us-east-1", args[1], args[0], TrailFilter.all(),
                Duration.ofMinutes(1));
        String bucket = args[2];
        try (S3Client s3 = c.s3(); SqsClient sqs = c.sqs()) {
            if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
                s3.createBucket(r -> r.bucket(bucket));
            }
            String queue = sqs.createQueue(r -> r.queueName(args[3])).queueUrl();
            sqs.sendMessage(r -> r.queueUrl(queue).messageBody(TrailFiles.testEvent(bucket)));
            Map<String, List<ObjectNode>> files = new LinkedHashMap<>();
            for (ObjectNode record : samples()) {
                String account = record.path("recipientAccountId").asText(record.path("userIdentity")
                        .path("accountId").asText("111122223333"));
                String region = record.path("awsRegion").asText("us-east-1");
                String day = record.path("eventTime").asText("2026-01-01T00:00:00Z").substring(0, 10);
                files.computeIfAbsent(TrailFiles.key(account, region, day, "sample"), k -> new ArrayList<>())
                        .add(record);
            }
            List<String> keys = new ArrayList<>();
            for (Map.Entry<String, List<ObjectNode>> f : files.entrySet()) {
                TrailFiles.put(s3, bucket, f.getKey(), TrailFiles.gzipLog(f.getValue()));
                keys.add(f.getKey());
                System.out.println("uploaded s3://" + bucket + "/" + f.getKey() + " (" + f.getValue().size()
                        + " records)");
            }
            String digest = keys.get(0).replace("/CloudTrail/", "/CloudTrail-Digest/")
                    .replace("_CloudTrail_", "_CloudTrail-Digest_");
            TrailFiles.put(s3, bucket, digest, "{\"digest\":true}".getBytes(StandardCharsets.UTF_8));
            keys.add(digest);
            for (String key : keys) {
                sqs.sendMessage(r -> r.queueUrl(queue).messageBody(TrailFiles.s3Event(bucket, key)));
            }
            System.out.println("announced " + keys.size() + " files (one a digest file, skipped by the job) on "
                    + queue);
        }
    }

    /** The CloudTrail records of the bundled samples (EventBridge envelopes unwrapped). */
    private static List<ObjectNode> samples() throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        for (String name : SAMPLES) {
            try (InputStream in = LocalTrailUpload.class.getClassLoader().getResourceAsStream(name)) {
                if (in == null) {
                    throw new IOException("sample " + name + " is not on the classpath");
                }
                if (name.endsWith(".jsonl")) {
                    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (!line.trim().isEmpty()) {
                            JsonNode n = JobJson.mapper().readTree(line);
                            out.add((ObjectNode) (n.has("detail") ? n.get("detail") : n));
                        }
                    }
                } else {
                    for (JsonNode n : JobJson.mapper().readTree(in).get("Records")) {
                        out.add((ObjectNode) n);
                    }
                }
            }
        }
        return out;
    }
}
