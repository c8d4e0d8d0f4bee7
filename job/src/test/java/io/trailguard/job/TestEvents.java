package io.trailguard.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.serde.JobJson;
import io.trailguard.job.serde.RawRecord;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** CloudTrail records and EventBridge envelopes for tests. */
public final class TestEvents {
    public static final String ACCOUNT = "111122223333";

    private TestEvents() {
    }

    /** A successful API call record. */
    public static ObjectNode record(String eventSource, String eventName, String eventId, String time) {
        ObjectNode r = JobJson.mapper().createObjectNode();
        r.put("eventVersion", "1.09");
        ObjectNode ui = r.putObject("userIdentity");
        ui.put("type", "IAMUser");
        ui.put("arn", "arn:aws:iam::" + ACCOUNT + ":user/mallory");
        ui.put("accountId", ACCOUNT);
        ui.put("userName", "mallory");
        r.put("eventTime", time);
        r.put("eventSource", eventSource);
        r.put("eventName", eventName);
        r.put("awsRegion", "us-east-1");
        r.put("sourceIPAddress", "198.51.100.7");
        r.put("userAgent", "aws-cli/2.15.0");
        r.putObject("requestParameters").put("userName", "eve");
        r.putNull("responseElements");
        r.put("requestID", UUID.randomUUID().toString());
        if (eventId != null) {
            r.put("eventID", eventId);
        }
        r.put("readOnly", false);
        r.put("eventType", "AwsApiCall");
        r.put("managementEvent", true);
        r.put("recipientAccountId", ACCOUNT);
        return r;
    }

    public static ObjectNode createUser(String eventId) {
        return record("iam.amazonaws.com", "CreateUser", eventId, "2026-02-01T10:00:00Z");
    }

    public static ObjectNode createAccessKey(String eventId) {
        return record("iam.amazonaws.com", "CreateAccessKey", eventId, "2026-02-01T10:01:00Z");
    }

    public static ObjectNode stopLogging(String eventId) {
        ObjectNode r = record("cloudtrail.amazonaws.com", "StopLogging", eventId, "2026-02-01T10:02:00Z");
        r.putObject("requestParameters").put("name", "org-trail");
        return r;
    }

    public static ObjectNode describeInstances(String eventId) {
        ObjectNode r = record("ec2.amazonaws.com", "DescribeInstances", eventId, "2026-02-01T10:03:00Z");
        r.put("readOnly", true);
        return r;
    }

    /** The record in an EventBridge envelope, as a Kinesis target receives it. */
    public static ObjectNode envelope(ObjectNode record) {
        ObjectNode n = JobJson.mapper().createObjectNode();
        n.put("version", "0");
        n.put("id", UUID.randomUUID().toString());
        n.put("detail-type", "AWS API Call via CloudTrail");
        n.put("source", "aws." + record.get("eventSource").asText().split("\\.")[0]);
        n.put("account", ACCOUNT);
        n.put("time", record.get("eventTime").asText());
        n.put("region", "us-east-1");
        n.putArray("resources");
        n.set("detail", record);
        return n;
    }

    public static byte[] bytes(ObjectNode n) {
        return JobJson.write(n).getBytes(StandardCharsets.UTF_8);
    }

    public static RawRecord raw(ObjectNode n, String origin) {
        return new RawRecord(bytes(n), origin);
    }

    public static RawRecord raw(String text, String origin) {
        return new RawRecord(text.getBytes(StandardCharsets.UTF_8), origin);
    }
}
