package io.trailguard.rules.sigma;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The text a Sigma value is compared with, for each kind of JSON value:
 * <ul>
 *   <li>a string: its text, as is;</li>
 *   <li>a boolean: {@code true} / {@code false};</li>
 *   <li>a number: its canonical decimal text: integers as digits, other numbers as the shortest plain decimal
 *       ({@code 1.50} → {@code 1.5}, {@code 1.0} → {@code 1}, {@code 1e3} → {@code 1000});</li>
 *   <li>JSON null: no text (null);</li>
 *   <li>an object or an array used as a whole: one deterministic compact JSON text: no whitespace, object keys
 *       sorted, numbers and booleans as above, and strings written <em>verbatim</em> between double quotes (not
 *       escaped), so that a JSON document nested in a string value (IAM {@code policyDocument}) reads as JSON
 *       itself: {@code requestParameters|contains: '"s3:GetObject"'} finds it.</li>
 * </ul>
 */
final class JsonText {
    private JsonText() {}

    /** The text of a value, or null for JSON null. */
    static String of(JsonNode n) {
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isContainerNode()) {
            StringBuilder sb = new StringBuilder();
            compact(n, sb);
            return sb.toString();
        }
        return scalar(n);
    }

    private static String scalar(JsonNode n) {
        if (n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isBoolean()) {
            return n.booleanValue() ? "true" : "false";
        }
        if (n.isIntegralNumber()) {
            return n.bigIntegerValue().toString();
        }
        if (n.isNumber()) {
            return number(n.decimalValue());
        }
        return n.asText();
    }

    /** The canonical decimal text of a number. */
    static String number(BigDecimal d) {
        if (d.signum() == 0) {
            return "0";
        }
        return d.stripTrailingZeros().toPlainString();
    }

    private static void compact(JsonNode n, StringBuilder sb) {
        if (n.isObject()) {
            List<String> keys = new ArrayList<>(n.size());
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                keys.add(it.next());
            }
            keys.sort(null);
            sb.append('{');
            boolean first = true;
            for (String k : keys) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                sb.append('"').append(k).append("\":");
                compact(n.get(k), sb);
            }
            sb.append('}');
        } else if (n.isArray()) {
            sb.append('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                compact(n.get(i), sb);
            }
            sb.append(']');
        } else if (n.isTextual()) {
            sb.append('"').append(n.textValue()).append('"');
        } else if (n.isNull()) {
            sb.append("null");
        } else {
            sb.append(scalar(n));
        }
    }

    /** Every leaf value of a document (strings, numbers, booleans; not nulls), depth first: keyword search. */
    static void leaves(JsonNode n, List<String> out) {
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                leaves(it.next().getValue(), out);
            }
        } else if (n.isArray()) {
            for (JsonNode c : n) {
                leaves(c, out);
            }
        } else {
            String t = scalar(n);
            if (t != null) {
                out.add(t);
            }
        }
    }
}
