package io.trailguard.rules.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.Serializable;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Input that could not become a {@link CloudTrailEvent}: where it came from, why it was rejected, and the start of
 * the offending input.
 *
 * <p>Immutable and {@link Serializable} (it crosses Flink operators), with String fields only. Build instances with
 * the {@code of(...)} factories: they cut the excerpt to {@value #EXCERPT_CHARS} characters and escape control
 * characters, and they flatten the reason to one line.
 */
public final class DeadLetter implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Characters of the offending input kept in {@link #excerpt()} (before control characters are escaped). */
    public static final int EXCERPT_CHARS = 200;
    /** Longest reason kept; longer ones end with "...". */
    static final int MAX_REASON_CHARS = 1000;
    /** Bytes decoded to build an excerpt from raw bytes (enough for 200 characters of any UTF-8 text). */
    private static final int EXCERPT_BYTES = EXCERPT_CHARS * 4;

    private final String origin;
    private final String reason;
    private final String excerpt;

    private DeadLetter(String origin, String reason, String excerpt) {
        this.origin = origin == null ? "" : origin;
        this.reason = oneLine(reason == null ? "" : reason, MAX_REASON_CHARS);
        this.excerpt = excerpt;
    }

    /** A dead letter whose excerpt is the start of {@code input} (null means no excerpt). */
    public static DeadLetter of(String origin, String reason, CharSequence input) {
        return new DeadLetter(origin, reason, excerptOf(input));
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

    /** Where the input came from, e.g. {@code logs/a.json:12} or {@code shard-0001:49590...}. */
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

    /** Compact JSON {@code {"origin":...,"reason":...,"excerpt":...}}. */
    public String toJson() {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("origin", origin);
        node.put("reason", reason);
        node.put("excerpt", excerpt);
        try {
            return Json.mapper().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            // Only Strings in a tree node: writing to a String cannot fail.
            throw new IllegalStateException("cannot write dead letter as JSON", e);
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
        return origin.equals(that.origin) && reason.equals(that.reason) && excerpt.equals(that.excerpt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(origin, reason, excerpt);
    }

    @Override
    public String toString() {
        return "DeadLetter{" + origin + ": " + reason + "}";
    }
}
