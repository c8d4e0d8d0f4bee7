package io.trailguard.rules.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * One CloudTrail record, whatever it arrived in (EventBridge envelope, raw record, log file), with the few
 * envelope attributes that are not part of the record itself.
 *
 * <p>Instances are immutable. Field values computed during evaluation are cached in an
 * {@link io.trailguard.rules.engine.EvaluationContext}, not here.
 */
public final class CloudTrailEvent {
    /** Time value used when neither eventTime nor the envelope time is usable. */
    public static final long NO_TIME = Long.MIN_VALUE;

    private final ObjectNode record;
    private final String envelopeAccount;
    private final String envelopeRegion;
    private final String envelopeTime;
    private final String envelopeDetailType;
    private final long number;
    private final long timeMillis;

    public CloudTrailEvent(ObjectNode record, String envelopeAccount, String envelopeRegion,
                           String envelopeTime, String envelopeDetailType, long number) {
        this.record = record;
        this.envelopeAccount = envelopeAccount;
        this.envelopeRegion = envelopeRegion;
        this.envelopeTime = envelopeTime;
        this.envelopeDetailType = envelopeDetailType;
        this.number = number;
        this.timeMillis = computeTime(record, envelopeTime);
    }

    /** A raw CloudTrail record with no envelope. */
    public static CloudTrailEvent ofRecord(ObjectNode record, long number) {
        return new CloudTrailEvent(record, null, null, null, null, number);
    }

    /** The CloudTrail record (for an EventBridge envelope, its {@code detail}). */
    public ObjectNode record() {
        return record;
    }

    /** evt.num: the event's sequence number in its input (1-based). */
    public long number() {
        return number;
    }

    /** Event time in epoch milliseconds, or {@link #NO_TIME}. */
    public long timeMillis() {
        return timeMillis;
    }

    public boolean hasTime() {
        return timeMillis != NO_TIME;
    }

    /** The record's top-level string field, or null when absent or not a string. */
    public String text(String key) {
        JsonNode n = record.get(key);
        return n != null && n.isTextual() ? n.asText() : null;
    }

    /** CloudTrail eventID, or null. */
    public String eventId() {
        return text("eventID");
    }

    public String eventName() {
        return text("eventName");
    }

    public String eventSource() {
        return text("eventSource");
    }

    /** The account the event belongs to: recipientAccountId, else userIdentity.accountId, else the envelope's. */
    public String account() {
        String a = text("recipientAccountId");
        if (a != null) {
            return a;
        }
        JsonNode ui = record.get("userIdentity");
        if (ui != null && ui.isObject()) {
            JsonNode id = ui.get("accountId");
            if (id != null && id.isTextual()) {
                return id.asText();
            }
        }
        return envelopeAccount;
    }

    /** awsRegion, else the envelope's region. */
    public String region() {
        String r = text("awsRegion");
        return r != null ? r : envelopeRegion;
    }

    public String envelopeAccount() {
        return envelopeAccount;
    }

    public String envelopeRegion() {
        return envelopeRegion;
    }

    public String envelopeTime() {
        return envelopeTime;
    }

    public String envelopeDetailType() {
        return envelopeDetailType;
    }

    private static long computeTime(ObjectNode record, String envelopeTime) {
        JsonNode t = record.get("eventTime");
        long v = t != null && t.isTextual() ? parseTime(t.asText()) : NO_TIME;
        if (v == NO_TIME && envelopeTime != null) {
            v = parseTime(envelopeTime);
        }
        return v;
    }

    /** Parses an RFC 3339 / ISO 8601 instant ("2023-07-10T11:42:05Z"); NO_TIME when it is not one. */
    public static long parseTime(String text) {
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            return NO_TIME;
        }
    }

    @Override
    public String toString() {
        return "CloudTrailEvent{" + eventSource() + " " + eventName() + " " + eventId() + "}";
    }
}
