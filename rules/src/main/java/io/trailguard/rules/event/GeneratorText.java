package io.trailguard.rules.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * JSON text appended to a {@link StringBuilder} exactly as the alert lines' Jackson generator writes it (the default
 * settings of {@code Json.mapper()}): strings in double quotes with {@code "} and {@code \} escaped by a backslash,
 * the control characters U+0008, U+0009, U+000A, U+000C and U+000D as {@code \b \t \n \f \r}, the other controls
 * below U+0020 as a backslash, {@code u00} and two upper-case hex digits, every other character as it is; null as
 * {@code null}; integers in decimal; a tree of objects, arrays, strings, integers, booleans and nulls as
 * {@link JsonNode#toString()} writes it. For text written once per event (the shared parts of alert lines, the
 * compact text of a request), where a generator per text cost more than the text (it allocates its buffers);
 * {@code GeneratorTextTest} compares it with the generator.
 */
public final class GeneratorText {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    /** For each character below 128: 0 written as it is, -1 as a six-character escape, else the escape's letter. */
    private static final int[] ESCAPES = new int[128];

    static {
        for (int c = 0; c < 32; c++) {
            ESCAPES[c] = -1;
        }
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
        ESCAPES['\b'] = 'b';
        ESCAPES['\t'] = 't';
        ESCAPES['\f'] = 'f';
        ESCAPES['\n'] = 'n';
        ESCAPES['\r'] = 'r';
    }

    private GeneratorText() {
    }

    /** {@code s} as a JSON string, or {@code null}. */
    public static StringBuilder string(StringBuilder out, String s) {
        if (s == null) {
            return out.append("null");
        }
        int n = s.length();
        int first = 0;
        while (first < n && !escaped(s.charAt(first))) {
            first++;
        }
        out.append('"');
        if (first == n) {
            return out.append(s).append('"'); // the common case: copied whole
        }
        out.append(s, 0, first);
        int plain = first;
        for (int i = first; i < n; i++) {
            char c = s.charAt(i);
            if (escaped(c)) {
                if (i > plain) {
                    out.append(s, plain, i);
                }
                int e = ESCAPES[c];
                if (e > 0) {
                    out.append('\\').append((char) e);
                } else {
                    out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                }
                plain = i + 1;
            }
        }
        if (n > plain) {
            out.append(s, plain, n);
        }
        return out.append('"');
    }

    private static boolean escaped(char c) {
        return c < 128 && ESCAPES[c] != 0;
    }

    /** {@code ,"key":value} for a string value (null written as {@code null}). */
    public static StringBuilder member(StringBuilder out, String key, String value) {
        string(out.append(','), key).append(':');
        return string(out, value);
    }

    /** {@code ,"key":value} when {@code value} is not null, else nothing. */
    public static StringBuilder optional(StringBuilder out, String key, String value) {
        return value == null ? out : member(out, key, value);
    }

    /**
     * An alert's output field value as {@code AlertJson} writes it with the generator (null; a long or int in
     * decimal; a list as the strings of its elements; any other value but a double or a map as the string of it);
     * false, with nothing appended, for a double or a map, which only the generator writes.
     */
    public static boolean value(StringBuilder out, Object v) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof Long || v instanceof Integer) {
            out.append(((Number) v).longValue());
        } else if (v instanceof List) {
            out.append('[');
            boolean first = true;
            for (Object o : (List<?>) v) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(out, String.valueOf(o));
            }
            out.append(']');
        } else if (v instanceof Double || v instanceof Map) {
            return false;
        } else {
            string(out, v.toString());
        }
        return true;
    }

    /**
     * The compact text of {@code node} as {@link JsonNode#toString()} writes it, or null when the tree holds a node
     * this does not write (a floating-point or big number, binary, a POJO), which only the generator writes.
     */
    public static String node(JsonNode node) {
        StringBuilder out = new StringBuilder(256);
        return node(out, node) ? out.toString() : null;
    }

    private static boolean node(StringBuilder out, JsonNode n) {
        JsonNodeType type = n.getNodeType();
        switch (type) {
            case OBJECT: {
                out.append('{');
                boolean first = true;
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    string(out, e.getKey()).append(':');
                    if (!node(out, e.getValue())) {
                        return false;
                    }
                }
                out.append('}');
                return true;
            }
            case ARRAY: {
                out.append('[');
                for (int i = 0; i < n.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    if (!node(out, n.get(i))) {
                        return false;
                    }
                }
                out.append(']');
                return true;
            }
            case STRING:
                string(out, n.textValue());
                return true;
            case BOOLEAN:
                out.append(n.booleanValue() ? "true" : "false");
                return true;
            case NULL:
                out.append("null");
                return true;
            case NUMBER:
                if (n.isInt() || n.isLong()) {
                    out.append(n.longValue());
                    return true;
                }
                return false;
            default:
                return false;
        }
    }
}
