package io.trailguard.rules.field;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON access with the semantics of fastjson, which Falco's CloudTrail plugin reads records with (see
 * {@link CloudTrailFields} for what that means for each kind of field).
 */
final class FastJson {
    private FastJson() {}

    /** fastjson {@code Get(path...)}: walks objects only; null when a key is missing or a parent is no object. */
    static JsonNode get(ObjectNode record, String[] path) {
        JsonNode n = record;
        for (String key : path) {
            if (!n.isObject()) {
                return null;
            }
            n = n.get(key);
            if (n == null) {
                return null;
            }
        }
        return n;
    }

    /** fastjson {@code string(v.GetStringBytes())} on a found value: its text, or "" when it is not a string. */
    static String stringOf(JsonNode found) {
        return found.isTextual() ? found.textValue() : "";
    }

    /** fastjson {@code GetStringBytes(path...)}: the text, or null when missing or not a string. */
    static String textAt(ObjectNode record, String[] path) {
        JsonNode n = get(record, path);
        return n != null && n.isTextual() ? n.textValue() : null;
    }

    /** Plain string field lookup: absent when missing, "" when not a string. */
    static String stringAt(ObjectNode record, String[] path) {
        JsonNode n = get(record, path);
        return n == null ? null : stringOf(n);
    }

    /** {@code GetStringBytes(key)} on any value: the text, or null when not an object, missing or not a string. */
    static String textAt(JsonNode obj, String key) {
        if (!obj.isObject()) {
            return null;
        }
        JsonNode n = obj.get(key);
        return n != null && n.isTextual() ? n.textValue() : null;
    }

    /** fastjson {@code GetBool(key)}: true only for a JSON {@code true}. */
    static boolean topLevelTrue(ObjectNode r, String key) {
        JsonNode n = r.get(key);
        return n != null && n.isBoolean() && n.booleanValue();
    }

    /**
     * {@code getvalueU64}: an integer as is (unsigned 64-bit, wrapping), a float truncated toward zero, anything
     * else (string, bool, null, object) 0.
     */
    static long u64(JsonNode n) {
        if (n.isBigInteger()) {
            return n.bigIntegerValue().longValue();
        }
        if (n.isIntegralNumber()) {
            return n.longValue();
        }
        if (n.isNumber()) {
            double d = n.doubleValue();
            if (d >= 0x1p63 && d < 0x1p64) {
                return (long) (d - 0x1p63) ^ Long.MIN_VALUE; // uint64 range above Long.MAX_VALUE
            }
            return (long) d;
        }
        return 0L;
    }
}
