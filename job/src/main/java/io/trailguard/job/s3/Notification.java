package io.trailguard.job.s3;

import com.fasterxml.jackson.databind.JsonNode;
import io.trailguard.rules.event.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The new objects one SQS message announces, in every shape AWS delivers them:
 * <ul>
 *   <li>an S3 event notification ({@code {"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:*",
 *       "s3":{"bucket":{"name"},"object":{"key"}}}]}}), keys URL-encoded as S3 sends them;</li>
 *   <li>the same through SNS, with raw message delivery (the body is the S3 notification) or without (an SNS envelope
 *       {@code {"Type":"Notification","Message":"..."}} whose {@code Message} is the notification);</li>
 *   <li>CloudTrail's own SNS notification {@code {"s3Bucket":"...","s3ObjectKey":["...",...]}}, raw or in an SNS
 *       envelope;</li>
 *   <li>an EventBridge "Object Created" event ({@code {"source":"aws.s3","detail-type":"Object Created",
 *       "detail":{"bucket":{"name"},"object":{"key"}}}}).</li>
 * </ul>
 * S3's {@code s3:TestEvent}, SNS subscription confirmations and records of other event types announce nothing: the
 * notification is {@link #skipped()} with the reason. A body that is none of these is {@link #unrecognised()}.
 */
public final class Notification {
    private final List<ObjectRef> objects;
    private final String skipped;
    private final String unrecognised;

    private Notification(List<ObjectRef> objects, String skipped, String unrecognised) {
        this.objects = objects;
        this.skipped = skipped;
        this.unrecognised = unrecognised;
    }

    /** The objects announced (empty when skipped or unrecognised). */
    public List<ObjectRef> objects() {
        return objects;
    }

    /** Why a well-formed notification announces no object (a test event...), or null. */
    public String skipped() {
        return skipped;
    }

    /** Why the body is not a notification at all, or null. */
    public String unrecognised() {
        return unrecognised;
    }

    /** Parses one SQS message body. Never throws. */
    public static Notification parse(String body) {
        JsonNode n;
        try {
            n = Json.mapper().readTree(body);
        } catch (IOException | UncheckedIOException e) {
            return bad("not JSON: " + e.getMessage());
        }
        return parse(n, 0);
    }

    private static Notification parse(JsonNode n, int depth) {
        if (n == null || !n.isObject()) {
            return bad("not a JSON object");
        }
        if (n.has("Type") && n.path("Message").isTextual() && depth == 0) {
            String type = n.path("Type").asText();
            if (!type.equals("Notification")) {
                return skip("SNS " + type);
            }
            try {
                return parse(Json.mapper().readTree(n.path("Message").asText()), depth + 1);
            } catch (IOException | UncheckedIOException e) {
                return bad("SNS message is not JSON: " + e.getMessage());
            }
        }
        if ("s3:TestEvent".equals(n.path("Event").asText(null))) {
            return skip("s3:TestEvent");
        }
        if (n.has("s3Bucket") && n.has("s3ObjectKey")) {
            return cloudTrail(n);
        }
        if ("aws.s3".equals(n.path("source").asText(null)) && n.has("detail")) {
            return eventBridge(n);
        }
        if (n.path("Records").isArray()) {
            return s3Event(n.path("Records"));
        }
        return bad("neither an S3 event notification, a CloudTrail SNS notification nor an EventBridge S3 event");
    }

    private static Notification cloudTrail(JsonNode n) {
        String bucket = n.path("s3Bucket").asText("");
        JsonNode keys = n.path("s3ObjectKey");
        List<ObjectRef> out = new ArrayList<>();
        if (keys.isTextual()) {
            out.add(new ObjectRef(bucket, keys.asText()));
        } else if (keys.isArray()) {
            for (JsonNode k : keys) {
                if (k.isTextual() && !k.asText().isEmpty() && !bucket.isEmpty()) {
                    out.add(new ObjectRef(bucket, k.asText()));
                }
            }
        }
        return out.isEmpty() ? bad("CloudTrail notification without bucket or keys") : of(out);
    }

    private static Notification eventBridge(JsonNode n) {
        String type = n.path("detail-type").asText("");
        if (!type.equals("Object Created")) {
            return skip("EventBridge " + type);
        }
        String bucket = n.path("detail").path("bucket").path("name").asText("");
        String key = n.path("detail").path("object").path("key").asText("");
        if (bucket.isEmpty() || key.isEmpty()) {
            return bad("EventBridge Object Created event without bucket name or object key");
        }
        return of(List.of(new ObjectRef(bucket, key)));
    }

    private static Notification s3Event(JsonNode records) {
        List<ObjectRef> out = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (JsonNode r : records) {
            String name = r.path("eventName").asText("");
            if (!name.startsWith("ObjectCreated:")) {
                others.add(name.isEmpty() ? "record without eventName" : name);
                continue;
            }
            String bucket = r.path("s3").path("bucket").path("name").asText("");
            String key = r.path("s3").path("object").path("key").asText("");
            if (bucket.isEmpty() || key.isEmpty()) {
                return bad("S3 event record without bucket name or object key");
            }
            out.add(new ObjectRef(bucket, URLDecoder.decode(key, StandardCharsets.UTF_8)));
        }
        if (out.isEmpty()) {
            return records.size() == 0 ? bad("S3 event notification without records") : skip("S3 " + others);
        }
        return of(out);
    }

    private static Notification of(List<ObjectRef> objects) {
        return new Notification(Collections.unmodifiableList(objects), null, null);
    }

    private static Notification skip(String why) {
        return new Notification(List.of(), why, null);
    }

    private static Notification bad(String why) {
        return new Notification(List.of(), null, why);
    }
}
