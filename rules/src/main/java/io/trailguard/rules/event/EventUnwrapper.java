package io.trailguard.rules.event;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Turns one input document (a Kinesis record, a file, a line of a JSON-lines file) into {@link CloudTrailEvent}s and
 * {@link DeadLetter}s. It never throws for bad input: everything that cannot become an event becomes one dead letter,
 * and the rest of the document is still processed.
 *
 * <h2>Classification</h2>
 * A JSON <b>array</b> is a list of documents: each element is classified on its own (a non-object element is a dead
 * letter). A JSON <b>scalar</b> or empty input is a dead letter. A JSON <b>object</b> is classified by its keys, by
 * the first rule that applies:
 * <ol>
 *   <li><b>CloudTrail log file</b>: it has a {@code Records} key. {@code Records} must be an array. Every element
 *       that is a non-empty object is a record: the log-file format vouches for it, so fixtures with misspelled
 *       keys ({@code eventNameWrong}) still flow. Other elements (scalars, arrays, {@code {}}) are dead letters.
 *       An empty {@code Records} yields nothing: a log file holds zero or more records, and zero is a count, not
 *       a malformed file (unlike an envelope, which always wraps one record).</li>
 *   <li><b>EventBridge envelope</b>: it has a {@code detail} key and a {@code detail-type} or {@code source} key,
 *       or it has both {@code detail-type} and {@code source} and no core key. An envelope wraps exactly one record,
 *       so an envelope without a record is a dead letter: {@code detail} missing, not an object (null, a string,
 *       ...) or an empty object {@code {}}. Otherwise {@code detail} is the record when its {@code detail-type} ends
 *       with "via CloudTrail" (the envelope vouches for it, as a log file does for its elements) or it has a core
 *       key (below); any other detail is a dead letter (another service's event). The envelope's
 *       {@code account}, {@code region}, {@code time} and {@code detail-type} go to the {@link CloudTrailEvent}.</li>
 *   <li><b>SNS notification</b> ({@code "Type":"Notification"}): a dead letter; it names S3 objects but holds no
 *       records.</li>
 *   <li><b>Raw CloudTrail record</b>: it has at least one core key: {@value #CORE_KEYS_TEXT}. Other fields may be
 *       missing, null or odd; a record without a usable time flows with {@link CloudTrailEvent#NO_TIME}.</li>
 *   <li><b>Wrapper</b> (the panther/awsdocs corpora): none of the keys above, but an object-valued {@code event}
 *       key. The value of {@code event} is classified by these same rules.</li>
 *   <li>Anything else is a dead letter "not a CloudTrail record" (a CloudTrail digest file is named as such).</li>
 * </ol>
 * Records are never dropped for lacking {@code eventType} or for being Insight events; rules decide.
 *
 * <p>Dead-letter origins are the caller's origin, plus a JSON Pointer to the offending value when it is inside the
 * document, e.g. {@code logs/a.json#/Records/3}.
 *
 * <p>Not thread-safe: create one per thread. Event numbers ({@code evt.num}) come from the caller's counter.
 */
public final class EventUnwrapper {
    /** Keys of which a raw CloudTrail record must have at least one (exact case). */
    public static final Set<String> CORE_KEYS = Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(
            "eventVersion", "eventSource", "eventName", "eventTime", "userIdentity", "eventID", "awsRegion",
            "eventType")));
    static final String CORE_KEYS_TEXT =
            "eventVersion, eventSource, eventName, eventTime, userIdentity, eventID, awsRegion, eventType";

    private static final int KEYS_LISTED = 10;
    private static final int KEY_CHARS = 64;
    private static final int S3_OBJECTS_LISTED = 3;

    private final LongSupplier eventNumbers;
    private long events;
    private long eventsWithoutTime;
    private long deadLetters;

    /** Numbers events with {@code eventNumbers.getAsLong()}, called once per event. */
    public EventUnwrapper(LongSupplier eventNumbers) {
        if (eventNumbers == null) {
            throw new IllegalArgumentException("eventNumbers must not be null");
        }
        this.eventNumbers = eventNumbers;
    }

    /** Numbers events 1, 2, 3, ... with a counter of its own. */
    public EventUnwrapper() {
        this(new Counter());
    }

    /** One Kinesis record or one whole JSON document (UTF-8, UTF-16 or UTF-32, as Jackson detects). */
    public void unwrap(byte[] data, String origin, EventSink sink) {
        if (data == null || data.length == 0) {
            reject(sink, DeadLetter.of(origin, "empty input: no JSON document", ""));
            return;
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(data);
        } catch (IOException | RuntimeException e) {
            String reason = isGzip(data)
                    ? "gzip-compressed data: decompress it first (" + invalidJson(e, 0) + ")"
                    : invalidJson(e, 0);
            reject(sink, DeadLetter.of(origin, reason, data));
            return;
        }
        unwrap(node, origin, sink);
    }

    /** One JSON document given as text. */
    public void unwrap(String text, String origin, EventSink sink) {
        unwrapLine(text, origin, 1, sink);
    }

    /**
     * One JSON document that is line {@code lineNumber} of a larger input: parse errors report that line number
     * (the text itself should not span lines).
     */
    void unwrapLine(String text, String origin, long lineNumber, EventSink sink) {
        if (text == null || text.trim().isEmpty()) {
            reject(sink, DeadLetter.of(origin, "empty input: no JSON document", text));
            return;
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(text);
        } catch (IOException | RuntimeException e) {
            reject(sink, DeadLetter.of(origin, invalidJson(e, lineNumber - 1), text));
            return;
        }
        unwrap(node, origin, sink);
    }

    /** One parsed JSON document. */
    public void unwrap(JsonNode node, String origin, EventSink sink) {
        if (node == null || node.isMissingNode()) {
            reject(sink, DeadLetter.of(origin, "empty input: no JSON document", ""));
        } else {
            document(node, origin, "", sink);
        }
    }

    /** Events emitted so far. */
    public long events() {
        return events;
    }

    /** Events emitted so far whose time is {@link CloudTrailEvent#NO_TIME} (no usable eventTime or envelope time). */
    public long eventsWithoutTime() {
        return eventsWithoutTime;
    }

    /** Dead letters emitted so far (including those {@link InputFiles} reports through this unwrapper). */
    public long deadLetters() {
        return deadLetters;
    }

    void reject(EventSink sink, DeadLetter d) {
        deadLetters++;
        sink.deadLetter(d);
    }

    private void document(JsonNode node, String origin, String pointer, EventSink sink) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode element = node.get(i);
                String at = pointer + "/" + i;
                if (element.isObject()) {
                    object((ObjectNode) element, origin, at, sink);
                } else {
                    reject(sink, DeadLetter.of(at(origin, at),
                            "array element is not an object but " + kind(element), element));
                }
            }
        } else if (node.isObject()) {
            object((ObjectNode) node, origin, pointer, sink);
        } else {
            reject(sink, DeadLetter.of(at(origin, pointer),
                    "not a CloudTrail record: " + kind(node) + ", not an object or array", node));
        }
    }

    private void object(ObjectNode o, String origin, String pointer, EventSink sink) {
        if (o.has("Records")) {
            logFile(o, origin, pointer, sink);
        } else if (o.has("detail") && (o.has("detail-type") || o.has("source"))) {
            envelope(o, origin, pointer, sink);
        } else if (o.has("detail-type") && o.has("source") && !hasCoreKey(o)) {
            reject(sink, DeadLetter.of(at(origin, pointer), "EventBridge envelope without \"detail\": no CloudTrail "
                    + "record (detail-type " + quoted(text(o, "detail-type")) + ", source " + quoted(text(o, "source"))
                    + ")", o));
        } else if ("Notification".equals(text(o, "Type"))) {
            reject(sink, DeadLetter.of(at(origin, pointer), snsReason(o), o));
        } else if (hasCoreKey(o)) {
            emit(o, null, null, null, null, sink);
        } else if (o.path("event").isObject()) {
            object((ObjectNode) o.get("event"), origin, pointer + "/event", sink);
        } else {
            reject(sink, DeadLetter.of(at(origin, pointer), notARecordReason(o), o));
        }
    }

    private void logFile(ObjectNode o, String origin, String pointer, EventSink sink) {
        JsonNode records = o.get("Records");
        if (!records.isArray()) {
            reject(sink, DeadLetter.of(at(origin, pointer),
                    "CloudTrail log file: \"Records\" is " + kind(records) + ", not an array", o));
            return;
        }
        for (int i = 0; i < records.size(); i++) {
            JsonNode r = records.get(i);
            if (r.isObject() && r.size() > 0) {
                emit((ObjectNode) r, null, null, null, null, sink);
            } else {
                String what = r.isObject() ? "an empty object" : kind(r);
                reject(sink, DeadLetter.of(at(origin, pointer + "/Records/" + i),
                        "CloudTrail log file: Records[" + i + "] is " + what + ", not a record", r));
            }
        }
    }

    private void envelope(ObjectNode o, String origin, String pointer, EventSink sink) {
        JsonNode detail = o.get("detail");
        String detailType = text(o, "detail-type");
        if (!detail.isObject()) {
            reject(sink, DeadLetter.of(at(origin, pointer),
                    "EventBridge envelope: \"detail\" is " + kind(detail) + ", not an object", o));
            return;
        }
        ObjectNode record = (ObjectNode) detail;
        if (record.size() == 0) {
            reject(sink, DeadLetter.of(at(origin, pointer),
                    "EventBridge envelope: \"detail\" is an empty object, not a CloudTrail record", o));
            return;
        }
        boolean fromCloudTrail = detailType != null && detailType.endsWith("via CloudTrail");
        if (!fromCloudTrail && !hasCoreKey(record)) {
            reject(sink, DeadLetter.of(at(origin, pointer),
                    "EventBridge event is not from CloudTrail: detail-type " + quoted(detailType) + ", source "
                            + quoted(text(o, "source")) + ", and detail has none of the keys " + CORE_KEYS_TEXT, o));
            return;
        }
        emit(record, text(o, "account"), text(o, "region"), text(o, "time"), detailType, sink);
    }

    private void emit(ObjectNode record, String account, String region, String time, String detailType,
                      EventSink sink) {
        CloudTrailEvent e = new CloudTrailEvent(record, account, region, time, detailType, eventNumbers.getAsLong());
        events++;
        if (!e.hasTime()) {
            eventsWithoutTime++;
        }
        sink.event(e);
    }

    private static boolean hasCoreKey(ObjectNode o) {
        for (String k : CORE_KEYS) {
            if (o.has(k)) {
                return true;
            }
        }
        return false;
    }

    private static String notARecordReason(ObjectNode o) {
        if (o.has("digestStartTime") && o.has("logFiles")) {
            return "not a CloudTrail record: a CloudTrail digest file (it lists log files, holds no records)";
        }
        if (o.size() == 0) {
            return "not a CloudTrail record: an empty object";
        }
        StringBuilder b = new StringBuilder("not a CloudTrail record: none of the keys ").append(CORE_KEYS_TEXT)
                .append(", Records, detail or event (has ").append(listKeys(o)).append(')');
        List<String> caseOnly = caseOnlyMatches(o);
        if (!caseOnly.isEmpty()) {
            b.append("; keys ").append(String.join(", ", caseOnly))
                    .append(" differ from CloudTrail keys only in letter case, and CloudTrail keys are case-sensitive");
        }
        return b.toString();
    }

    private static String listKeys(ObjectNode o) {
        StringBuilder b = new StringBuilder();
        Iterator<String> names = o.fieldNames();
        int n = 0;
        while (names.hasNext() && n < KEYS_LISTED) {
            String k = names.next();
            b.append(n++ == 0 ? "" : ", ").append(k.length() > KEY_CHARS ? k.substring(0, KEY_CHARS) + "..." : k);
        }
        if (o.size() > KEYS_LISTED) {
            b.append(", ... ").append(o.size() - KEYS_LISTED).append(" more");
        }
        return b.toString();
    }

    private static List<String> caseOnlyMatches(ObjectNode o) {
        List<String> found = new ArrayList<>();
        for (String core : CORE_KEYS) {
            Iterator<String> names = o.fieldNames();
            while (names.hasNext()) {
                String k = names.next();
                if (k.equalsIgnoreCase(core)) {
                    found.add(k);
                }
            }
        }
        return found;
    }

    /** The reason for an SNS notification body: it names the S3 log files, it does not hold records. */
    private static String snsReason(ObjectNode sns) {
        String prefix = "SNS notification: no CloudTrail records";
        String message = text(sns, "Message");
        if (message == null) {
            return prefix + " (and no \"Message\" string)";
        }
        JsonNode m;
        try {
            m = Json.mapper().readTree(message);
        } catch (IOException | RuntimeException e) {
            return prefix + " (its Message is not JSON)";
        }
        List<String> objects = new ArrayList<>();
        if (m != null && m.isObject() && m.path("s3ObjectKey").isArray()) {
            // CloudTrail's own notification: {"s3Bucket": "...", "s3ObjectKey": ["...", ...]}
            String bucket = m.path("s3Bucket").asText("");
            for (JsonNode key : m.get("s3ObjectKey")) {
                objects.add("s3://" + bucket + "/" + key.asText(""));
            }
        } else if (m != null && m.path("Records").isArray()) {
            // An S3 event notification: {"Records": [{"s3": {"bucket": {"name"}, "object": {"key"}}}]}
            for (JsonNode r : m.get("Records")) {
                JsonNode s3 = r.path("s3");
                objects.add("s3://" + s3.path("bucket").path("name").asText("") + "/"
                        + s3.path("object").path("key").asText(""));
            }
        }
        if (objects.isEmpty()) {
            return prefix + " (its Message is not a CloudTrail S3-delivery notification)";
        }
        StringBuilder b = new StringBuilder(prefix).append(" (names S3 objects ");
        for (int i = 0; i < Math.min(objects.size(), S3_OBJECTS_LISTED); i++) {
            b.append(i == 0 ? "" : ", ").append(objects.get(i));
        }
        if (objects.size() > S3_OBJECTS_LISTED) {
            b.append(", ... ").append(objects.size() - S3_OBJECTS_LISTED).append(" more");
        }
        return b.append("; read those log files instead)").toString();
    }

    /**
     * "invalid JSON at line L, column C: message", with Jackson's message without its source dump. {@code lineOffset}
     * is added to the line number (for a line of a larger file).
     */
    static String invalidJson(Exception e, long lineOffset) {
        if (e instanceof JsonProcessingException) {
            JsonProcessingException j = (JsonProcessingException) e;
            JsonLocation loc = j.getLocation();
            String where = loc != null && loc.getLineNr() > 0
                    ? " at line " + (loc.getLineNr() + lineOffset) + ", column " + loc.getColumnNr()
                    : "";
            return "invalid JSON" + where + ": " + j.getOriginalMessage();
        }
        return "invalid JSON: " + e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    static boolean isGzip(byte[] data) {
        return data.length >= 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b;
    }

    private static String at(String origin, String pointer) {
        return pointer.isEmpty() ? origin : origin + "#" + pointer;
    }

    private static String text(ObjectNode o, String key) {
        JsonNode n = o.get(key);
        return n != null && n.isTextual() ? n.asText() : null;
    }

    private static String quoted(String s) {
        return s == null ? "(none)" : "\"" + s + "\"";
    }

    private static String kind(JsonNode n) {
        switch (n.getNodeType()) {
            case ARRAY:
                return "an array";
            case OBJECT:
                return "an object";
            case STRING:
                return "a string";
            case NUMBER:
                return "a number";
            case BOOLEAN:
                return "a boolean";
            case NULL:
                return "null";
            default:
                return n.getNodeType().toString().toLowerCase(Locale.ROOT);
        }
    }

    /** The default event-number counter: 1, 2, 3, ... (thread-confined like the unwrapper). */
    private static final class Counter implements LongSupplier {
        private long next = 1;

        @Override
        public long getAsLong() {
            return next++;
        }
    }
}
