package io.trailguard.job.s3;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.serde.JobJson;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** CloudTrail log files, keys and notifications as AWS writes them, for tests. */
public final class TrailFiles {
    private TrailFiles() {
    }

    /** {@code {"Records":[...]}} gzipped, written record by record. */
    static byte[] gzipLog(List<ObjectNode> records) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes);
             JsonGenerator g = JobJson.mapper().getFactory().createGenerator(gz)) {
            g.writeStartObject();
            g.writeArrayFieldStart("Records");
            for (ObjectNode r : records) {
                JobJson.mapper().writeTree(g, r);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A standard trail's log file key. */
    static String key(String account, String region, String day, String unique) {
        return "AWSLogs/" + account + "/CloudTrail/" + region + "/" + day.replace('-', '/') + "/" + account
                + "_CloudTrail_" + region + "_" + day.replace("-", "") + "T1000Z_" + unique + ".json.gz";
    }

    /** An organization trail's log file key. */
    static String orgKey(String org, String account, String region, String day, String unique) {
        return "AWSLogs/" + org + "/" + key(account, region, day, unique).substring("AWSLogs/".length());
    }

    static void put(S3Client s3, String bucket, String key, byte[] content) {
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(content));
    }

    /** An S3 event notification (keys URL-encoded, as S3 sends them). */
    static String s3Event(String bucket, String... keys) {
        ObjectNode n = JobJson.mapper().createObjectNode();
        for (String key : keys) {
            ObjectNode r = n.withArray("Records").addObject();
            r.put("eventVersion", "2.1");
            r.put("eventSource", "aws:s3");
            r.put("awsRegion", "us-east-1");
            r.put("eventTime", "2026-02-01T10:05:00.000Z");
            r.put("eventName", "ObjectCreated:Put");
            ObjectNode s3 = r.putObject("s3");
            s3.put("s3SchemaVersion", "1.0");
            s3.putObject("bucket").put("name", bucket).put("arn", "arn:aws:s3:::" + bucket);
            s3.putObject("object").put("key", java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8)
                    .replace("%2F", "/")).put("size", 1234);
        }
        return n.toString();
    }

    /** An SNS envelope (non-raw delivery) around {@code message}. */
    static String sns(String message) {
        ObjectNode n = JobJson.mapper().createObjectNode();
        n.put("Type", "Notification");
        n.put("MessageId", java.util.UUID.randomUUID().toString());
        n.put("TopicArn", "arn:aws:sns:us-east-1:111122223333:trail-topic");
        n.put("Message", message);
        n.put("Timestamp", "2026-02-01T10:05:01.000Z");
        n.put("SignatureVersion", "1");
        return n.toString();
    }

    /** CloudTrail's own SNS notification. */
    static String cloudTrail(String bucket, String... keys) {
        ObjectNode n = JobJson.mapper().createObjectNode();
        n.put("s3Bucket", bucket);
        for (String k : keys) {
            n.withArray("s3ObjectKey").add(k);
        }
        return n.toString();
    }

    /** An EventBridge "Object Created" event. */
    static String eventBridge(String bucket, String key) {
        ObjectNode n = JobJson.mapper().createObjectNode();
        n.put("version", "0");
        n.put("id", java.util.UUID.randomUUID().toString());
        n.put("detail-type", "Object Created");
        n.put("source", "aws.s3");
        n.put("account", "111122223333");
        n.put("time", "2026-02-01T10:05:00Z");
        n.put("region", "us-east-1");
        n.putArray("resources").add("arn:aws:s3:::" + bucket);
        ObjectNode d = n.putObject("detail");
        d.put("version", "0");
        d.putObject("bucket").put("name", bucket);
        d.putObject("object").put("key", key).put("size", 1234);
        d.put("reason", "PutObject");
        return n.toString();
    }

    /** S3's test event, sent when a notification configuration is saved. */
    static String testEvent(String bucket) {
        return "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Time\":\"2026-02-01T10:00:00.000Z\","
                + "\"Bucket\":\"" + bucket + "\",\"RequestId\":\"5582815E1AEA5ADF\",\"HostId\":\"8cLeGAmw\"}";
    }
}
