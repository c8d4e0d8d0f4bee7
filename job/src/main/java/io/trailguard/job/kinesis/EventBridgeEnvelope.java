package io.trailguard.job.kinesis;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.serde.JobJson;
import io.trailguard.rules.event.CloudTrailEvent;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Wraps a CloudTrail record the way EventBridge delivers it to a Kinesis target (the whole event, no input
 * transformer): {@code version, id, detail-type, source, account, time, region, resources, detail}.
 */
public final class EventBridgeEnvelope {
    private EventBridgeEnvelope() {
    }

    public static ObjectNode wrap(CloudTrailEvent e) {
        ObjectNode n = JobJson.mapper().createObjectNode();
        n.put("version", "0");
        n.put("id", UUID.randomUUID().toString());
        n.put("detail-type", e.envelopeDetailType() != null ? e.envelopeDetailType() : detailType(e.text("eventType")));
        n.put("source", source(e.eventSource()));
        n.put("account", e.account() == null ? "000000000000" : e.account());
        n.put("time", e.hasTime()
                ? Instant.ofEpochMilli(e.timeMillis()).truncatedTo(ChronoUnit.SECONDS).toString()
                : Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        n.put("region", e.region() == null ? "us-east-1" : e.region());
        n.putArray("resources");
        n.set("detail", e.record());
        return n;
    }

    /** The detail-type CloudTrail uses for an eventType. */
    static String detailType(String eventType) {
        if (eventType == null) {
            return "AWS API Call via CloudTrail";
        }
        switch (eventType) {
            case "AwsConsoleSignIn":
                return "AWS Console Sign In via CloudTrail";
            case "AwsServiceEvent":
                return "AWS Service Event via CloudTrail";
            case "AwsConsoleAction":
                return "AWS Console Action via CloudTrail";
            case "AwsCloudTrailInsight":
                return "AWS Insight via CloudTrail";
            default:
                return "AWS API Call via CloudTrail";
        }
    }

    /** {@code iam.amazonaws.com} becomes {@code aws.iam}. */
    static String source(String eventSource) {
        if (eventSource == null || eventSource.isEmpty()) {
            return "aws.cloudtrail";
        }
        int dot = eventSource.indexOf('.');
        return "aws." + (dot > 0 ? eventSource.substring(0, dot) : eventSource);
    }
}
