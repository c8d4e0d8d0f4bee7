package io.trailguard.rules.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.field.Field;
import io.trailguard.rules.field.ValueType;

import java.util.ArrayList;
import java.util.List;

/**
 * A Sigma field name as a path into the raw CloudTrail record: {@code eventName},
 * {@code requestParameters.bucketName}, {@code userIdentity.sessionContext.sessionIssuer.type}.
 *
 * <ul>
 *   <li>Dots separate keys, but a key that literally contains dots wins: at each object the longest run of the
 *       remaining segments that is a key of the object is taken ({@code "a.b"} before {@code a} then {@code b}).</li>
 *   <li>Arrays are crossed member by member (any-member semantics): {@code requestParameters.containerDefinitions
 *       .command} reaches every command of every definition, and a path ending at an array yields its members
 *       (nested arrays flattened).</li>
 *   <li>Each value reached becomes one text ({@link JsonText}): strings as is, numbers and booleans as canonical
 *       text, objects as one compact JSON text, JSON null as a null element.</li>
 * </ul>
 *
 * <p>{@link #extract} returns null when the path reaches nothing (the field is absent), otherwise a
 * {@link SigmaValues} (a LIST, possibly empty for an empty array). Compiled once per path and cached per event
 * through the rule set's field table under the name {@code sigma:<path>}.
 */
public final class SigmaPathField implements Field {
    private final String path;
    private final String[][] keys; // keys[i][j]: segments i..j-1 joined by '.'

    public SigmaPathField(String path) {
        this.path = path;
        String[] segments = path.split("\\.", -1);
        int n = segments.length;
        this.keys = new String[n][n + 1];
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = i + 1; j <= n; j++) {
                if (j > i + 1) {
                    sb.append('.');
                }
                sb.append(segments[j - 1]);
                keys[i][j] = sb.toString();
            }
        }
    }

    /** The table key of the field for {@code path}. */
    static String canonicalName(String path) {
        return "sigma:" + path;
    }

    public String path() {
        return path;
    }

    @Override
    public String name() {
        return path;
    }

    @Override
    public ValueType type() {
        return ValueType.LIST;
    }

    @Override
    public Object extract(CloudTrailEvent event) {
        List<JsonNode> found = new ArrayList<>(2);
        resolve(event.record(), 0, found);
        if (found.isEmpty()) {
            return null;
        }
        if (found.size() == 1 && !found.get(0).isArray()) {
            return new SigmaValues(new String[] {JsonText.of(found.get(0))});
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode n : found) {
            flatten(n, texts);
        }
        return texts.isEmpty() ? SigmaValues.EMPTY : new SigmaValues(texts.toArray(new String[0]));
    }

    private void resolve(JsonNode node, int i, List<JsonNode> out) {
        int n = keys.length;
        if (i == n) {
            out.add(node);
            return;
        }
        if (node.isArray()) {
            for (JsonNode member : node) {
                resolve(member, i, out);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        for (int j = n; j > i; j--) {
            JsonNode child = node.get(keys[i][j]);
            if (child != null) {
                resolve(child, j, out);
                return;
            }
        }
    }

    private static void flatten(JsonNode n, List<String> out) {
        if (n.isArray()) {
            for (JsonNode member : n) {
                flatten(member, out);
            }
        } else {
            out.add(JsonText.of(n));
        }
    }
}
