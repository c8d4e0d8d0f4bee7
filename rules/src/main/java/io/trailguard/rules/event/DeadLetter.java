package io.trailguard.rules.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.rules.text.UnpairedSurrogates;

import java.io.IOException;
import java.io.Serializable;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * The one dead-letter model: what could not go on, where it came from and why. Two kinds share it:
 * <ul>
 *   <li>input that could not become a {@link CloudTrailEvent} (or an event or alert too late for a rate rule or the
 *       incident stage), with the start of the offending input ({@link #of});</li>
 *   <li>an alert an output could not deliver, with its {@link Delivery}: output, id, error code, attempts, time and
 *       the whole undelivered line ({@link #undelivered}).</li>
 * </ul>
 * Both are written as one JSON line by {@link #toJsonLine}: {@code type}, {@code origin} and {@code reason} first,
 * then {@code excerpt} for input, or the delivery's fields for an output.
 *
 * <p>Immutable and {@link Serializable} (it crosses Flink operators), with String fields only. The factories cut the
 * excerpt to {@value #EXCERPT_CHARS} characters and escape control characters, and they flatten the reason to one
 * line.
 */
public final class DeadLetter implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Characters of the offending input kept in {@link #excerpt()} (before control characters are escaped). */
    public static final int EXCERPT_CHARS = 200;
    /** Longest reason kept; longer ones end with "...". */
    static final int MAX_REASON_CHARS = 1000;
    /** Bytes decoded to build an excerpt from raw bytes (enough for 200 characters of any UTF-8 text). */
    private static final int EXCERPT_BYTES = EXCERPT_CHARS * 4;

    /** {@code type} of input dead letters. */
    public static final String INPUT_TYPE = "dead_letter";
    /** {@code type} of undelivered alerts. */
    public static final String UNDELIVERED_TYPE = "sink_dead_letter";

    private final String origin;
    private final String reason;
    private final String excerpt;
    private final Delivery delivery;

    private DeadLetter(String origin, String reason, String excerpt, Delivery delivery) {
        this.origin = origin == null ? "" : origin;
        this.reason = oneLine(reason == null ? "" : reason, MAX_REASON_CHARS);
        this.excerpt = excerpt;
        this.delivery = delivery;
    }

    /** A dead letter whose excerpt is the start of {@code input} (null means no excerpt). */
    public static DeadLetter of(String origin, String reason, CharSequence input) {
        return new DeadLetter(origin, reason, excerptOf(input), null);
    }

    /** A dead letter whose excerpt is the start of {@code input} decoded as UTF-8 (malformed bytes become U+FFFD). */
    public static DeadLetter of(String origin, String reason, byte[] input) {
        if (input == null) {
            return of(origin, reason, (CharSequence) null);
        }
        int n = Math.min(input.length, EXCERPT_BYTES);
        return of(origin, reason, new String(input, 0, n, StandardCharsets.UTF_8));
    }

    /** A dead letter whose excerpt is the start of {@code input} written as compact JSON. */
    public static DeadLetter of(String origin, String reason, JsonNode input) {
        return of(origin, reason, input == null ? null : jsonPrefix(input));
    }

    /**
     * An alert the output could not deliver: origin {@code OUTPUT:ID}, reason the output's error, no excerpt (the
     * line carries the whole payload).
     */
    public static DeadLetter undelivered(Delivery delivery) {
        return new DeadLetter(delivery.output() + ":" + delivery.id(), delivery.error(), "", delivery);
    }

    /**
     * Where the input came from, e.g. {@code logs/a.json:12} or {@code shard-0001:49590...}; for an undelivered alert
     * {@code OUTPUT:ID}.
     */
    public String origin() {
        return origin;
    }

    /** Why the input was rejected, on one line. */
    public String reason() {
        return reason;
    }

    /** The first {@value #EXCERPT_CHARS} characters of the input with control characters escaped. */
    public String excerpt() {
        return excerpt;
    }

    /** The output's side of an undelivered alert; null for input dead letters. */
    public Delivery delivery() {
        return delivery;
    }

    /** {@value #INPUT_TYPE} or {@value #UNDELIVERED_TYPE}. */
    public String type() {
        return delivery == null ? INPUT_TYPE : UNDELIVERED_TYPE;
    }

    /**
     * The dead-letter line outputs write: {@code {"type":...,"origin":...,"reason":...,"excerpt":...}} for input, and
     * {@code {"type":"sink_dead_letter","origin","reason","output","id","error_code","error","attempts","time",
     * PAYLOAD}} for an undelivered alert, where PAYLOAD is the payload's JSON object under its field name
     * ({@code "alert"}, {@code "record"}), or {@code "line":"..."} when it is not a JSON object.
     */
    public String toJsonLine() {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("type", type());
        return write(fields(node));
    }

    /** {@link #toJsonLine} without its {@code type}: {@code {"origin":...,"reason":...,"excerpt":...}} for input. */
    public String toJson() {
        return write(fields(Json.mapper().createObjectNode()));
    }

    private ObjectNode fields(ObjectNode node) {
        node.put("origin", origin);
        node.put("reason", reason);
        if (delivery == null) {
            node.put("excerpt", excerpt);
        } else {
            delivery.fields(node);
        }
        return node;
    }

    private String write(ObjectNode node) {
        try {
            String json = Json.mapper().writeValueAsString(node);
            return delivery == null ? json : UnpairedSurrogates.repair(json);
        } catch (JsonProcessingException e) {
            // Only Strings and numbers in a tree node: writing to a String cannot fail.
            throw new IllegalStateException("cannot write dead letter as JSON", e);
        }
    }

    /**
     * What an output could not deliver within its retry budget (or what the service refused): the output, the id
     * (a finding id, a log group and stream), the service's error code and message, the attempts, when it was given
     * up, and the undelivered line.
     */
    public static final class Delivery implements Serializable {
        private static final long serialVersionUID = 1L;

        private final String output;
        private final String id;
        private final String errorCode;
        private final String error;
        private final int attempts;
        private final long timeMillis;
        private final String payloadField;
        private final String payload;

        /**
         * @param payloadField the field that holds the payload when it is a JSON object ({@code alert}, {@code record})
         * @param payload      the undelivered line
         */
        public Delivery(String output, String id, String errorCode, String error, int attempts, long timeMillis,
                        String payloadField, String payload) {
            this.output = output;
            this.id = id;
            this.errorCode = errorCode;
            this.error = error;
            this.attempts = attempts;
            this.timeMillis = timeMillis;
            this.payloadField = payloadField;
            this.payload = payload;
        }

        public String output() {
            return output;
        }

        /** The finding id (Security Hub) or {@code GROUP:STREAM} (CloudWatch Logs). */
        public String id() {
            return id;
        }

        public String errorCode() {
            return errorCode;
        }

        public String error() {
            return error;
        }

        public int attempts() {
            return attempts;
        }

        public long timeMillis() {
            return timeMillis;
        }

        /** The line (an alert JSON line, a log line) that was not delivered. */
        public String payload() {
            return payload;
        }

        private void fields(ObjectNode n) {
            n.put("output", output);
            n.put("id", id);
            n.put("error_code", errorCode);
            n.put("error", error);
            n.put("attempts", attempts);
            n.put("time", Instant.ofEpochMilli(timeMillis).toString());
            JsonNode parsed;
            try {
                parsed = payload == null ? null : Json.mapper().readTree(payload);
            } catch (JsonProcessingException | RuntimeException e) {
                parsed = null;
            }
            if (parsed != null && parsed.isObject()) {
                n.set(payloadField, parsed);
            } else {
                n.put("line", payload);
            }
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Delivery)) {
                return false;
            }
            Delivery d = (Delivery) o;
            return attempts == d.attempts && timeMillis == d.timeMillis && Objects.equals(output, d.output)
                    && Objects.equals(id, d.id) && Objects.equals(errorCode, d.errorCode)
                    && Objects.equals(error, d.error) && Objects.equals(payloadField, d.payloadField)
                    && Objects.equals(payload, d.payload);
        }

        @Override
        public int hashCode() {
            return Objects.hash(output, id, errorCode, attempts, timeMillis);
        }
    }

    /**
     * The first {@value #EXCERPT_CHARS} characters of {@code input} (never splitting a surrogate pair) with
     * {@code \n}, {@code \r}, {@code \t} escaped as such and other control characters (and U+2028/U+2029) as
     * {@code \\uXXXX}. Null gives "".
     */
    static String excerptOf(CharSequence input) {
        if (input == null) {
            return "";
        }
        int end = Math.min(input.length(), EXCERPT_CHARS);
        if (end < input.length() && end > 0 && Character.isHighSurrogate(input.charAt(end - 1))) {
            end--;
        }
        return escapeControls(input, end);
    }

    /** {@code text} with control characters escaped and cut to {@code max} characters. */
    static String oneLine(String text, int max) {
        String escaped = escapeControls(text, text.length());
        return escaped.length() <= max ? escaped : escaped.substring(0, max - 3) + "...";
    }

    private static String escapeControls(CharSequence s, int end) {
        StringBuilder b = new StringBuilder(end + 16);
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c == '\t') {
                b.append("\\t");
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** The start of the node's compact JSON, without serializing all of a huge node. */
    private static String jsonPrefix(JsonNode node) {
        PrefixWriter out = new PrefixWriter(EXCERPT_CHARS + 1);
        try {
            Json.mapper().writeValue(out, node);
        } catch (IOException | RuntimeException full) {
            // PrefixWriter stops the serialization once it holds enough characters.
        }
        return out.text();
    }

    /** A Writer that keeps the first {@code limit} characters and then fails to stop the writer early. */
    private static final class PrefixWriter extends Writer {
        private final StringBuilder text = new StringBuilder();
        private final int limit;

        PrefixWriter(int limit) {
            this.limit = limit;
        }

        @Override
        public void write(char[] buf, int off, int len) throws IOException {
            int room = limit - text.length();
            text.append(buf, off, Math.min(room, len));
            if (len > room) {
                throw new IOException("excerpt complete");
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        String text() {
            return text.toString();
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof DeadLetter)) {
            return false;
        }
        DeadLetter that = (DeadLetter) o;
        return origin.equals(that.origin) && reason.equals(that.reason) && excerpt.equals(that.excerpt)
                && Objects.equals(delivery, that.delivery);
    }

    @Override
    public int hashCode() {
        return Objects.hash(origin, reason, excerpt, delivery);
    }

    @Override
    public String toString() {
        return delivery == null ? "DeadLetter{" + origin + ": " + reason + "}"
                : "DeadLetter{" + origin + ", " + delivery.errorCode + " after " + delivery.attempts + " attempts}";
    }
}
