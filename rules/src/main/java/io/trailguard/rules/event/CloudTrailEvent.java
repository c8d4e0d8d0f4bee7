package io.trailguard.rules.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;

/**
 * One CloudTrail record, whatever it arrived in (EventBridge envelope, raw record, log file), with the few
 * envelope attributes that are not part of the record itself.
 *
 * <p>Instances are immutable. Field values computed during evaluation are cached in an
 * {@code EvaluationContext}, not here.
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
        long fast = parseCommonTime(text);
        if (fast != NO_TIME) {
            return fast;
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            return NO_TIME;
        }
    }

    /**
     * The shape CloudTrail writes ({@code 2023-07-10T11:42:05Z}, optionally with 1 to 9 fraction digits), parsed
     * without the general formatter; NO_TIME for anything else (then {@link Instant#parse} decides), so the result
     * is always the one {@code Instant.parse(text).toEpochMilli()} gives.
     */
    static long parseCommonTime(String t) {
        int n = t.length();
        if (n < 20 || n > 30 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T'
                || t.charAt(13) != ':' || t.charAt(16) != ':' || t.charAt(n - 1) != 'Z') {
            return NO_TIME;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 && day > lengthOfMonth(year, month)
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return NO_TIME;
        }
        int millis = 0;
        if (n > 20) {
            int fraction = n - 21; // digits between '.' and 'Z'
            if (t.charAt(19) != '.' || fraction < 1 || fraction > 9 || digits(t, 20, fraction) < 0) {
                return NO_TIME;
            }
            millis = digits(t, 20, Math.min(3, fraction));
            for (int k = fraction; k < 3; k++) {
                millis *= 10;
            }
        }
        long days = epochDay(year, month, day);
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
    }

    private static int lengthOfMonth(int year, int month) {
        return YearMonth.of(year, month).lengthOfMonth();
    }

    /** Days since 1970-01-01 of a valid proleptic Gregorian date (years 0 to 9999; the civil-from-days inverse). */
    static long epochDay(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yearOfEra = y - era * 400;
        int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146097L + dayOfEra - 719468;
    }

    /** The value of {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String t, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    @Override
    public String toString() {
        return "CloudTrailEvent{" + eventSource() + " " + eventName() + " " + eventId() + "}";
    }
}
