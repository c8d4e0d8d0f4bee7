package io.trailguard.rules.field;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.Json;

import java.util.Set;
import java.util.TreeSet;

/**
 * Resolves a field name and argument, as written in a rule, to a {@link Field}: Falco's CloudTrail plugin
 * fields ({@code ct.*, s3.*, ec2.*, ecr.*, iam.*}), the json plugin ({@code json.*}, {@code jevt.*}), the generic
 * {@code evt.*} fields, Sysdig's {@code aws.*} aliases, and Trailguard's {@code json.path[...]},
 * {@code json.embedded[...]} and {@code policy.external_accounts[...]} (JSON documents embedded as strings, see
 * {@link EmbeddedJsonFields}).
 */
public final class FieldRegistry {
    private FieldRegistry() {}

    /** @throws UnknownFieldException when no field has that name or the argument does not fit it */
    public static Field resolve(String name, String arg) {
        switch (name) {
            case "json.value":
            case "jevt.value":
                return JsonPointerField.of(name, arg);
            case "json.obj":
            case "jevt.obj":
                noArg(name, arg);
                return new CatalogueField(name, ValueType.STRING, FieldRegistry::prettyRecord);
            case "json.rawtime":
            case "jevt.rawtime":
                noArg(name, arg);
                return new CatalogueField(name, ValueType.STRING, FieldRegistry::rawTime);
            case "json.path":
                return JsonPathField.of(arg);
            case "json.embedded":
                return EmbeddedJsonFields.embedded(arg);
            case "policy.external_accounts":
                return EmbeddedJsonFields.externalAccounts(arg);
            default:
                break;
        }
        Field f = CloudTrailFields.resolve(name, arg);
        if (f == null) {
            f = EventFields.resolve(name, arg);
        }
        if (f == null) {
            f = AggregateField.resolve(name, arg);
        }
        if (f == null) {
            throw new UnknownFieldException("unknown field '" + name + "'"
                    + io.trailguard.rules.text.Suggestions.didYouMean(name, names()));
        }
        return f;
    }

    /** Every field name this registry knows (for documentation and suggestions). */
    public static Set<String> names() {
        Set<String> all = new TreeSet<>(CloudTrailFields.names());
        all.addAll(EventFields.names());
        all.addAll(AggregateField.names());
        all.addAll(Set.of("json.value", "jevt.value", "json.obj", "jevt.obj", "json.rawtime", "jevt.rawtime",
                "json.path", "json.embedded", "policy.external_accounts"));
        return all;
    }

    /**
     * {@code json.obj} / {@code jevt.obj}: the whole record laid out as the json plugin lays it out (Go's
     * {@code json.Indent} with a 2-space indent: {@code "key": value}, one element per line, {@code {}} and
     * {@code []} for empty containers).
     */
    private static Object prettyRecord(CloudTrailEvent event) {
        StringBuilder sb = new StringBuilder();
        try {
            indent(sb, event.record(), "");
        } catch (JsonProcessingException e) {
            return null;
        }
        return sb.toString();
    }

    private static void indent(StringBuilder sb, com.fasterxml.jackson.databind.JsonNode n, String pad)
            throws JsonProcessingException {
        if (n.isObject() || n.isArray()) {
            if (n.size() == 0) {
                sb.append(n.isObject() ? "{}" : "[]");
                return;
            }
            String inner = pad + "  ";
            sb.append(n.isObject() ? '{' : '[');
            java.util.Iterator<java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> fields =
                    n.isObject() ? n.fields() : null;
            for (int i = 0; i < n.size(); i++) {
                sb.append(i == 0 ? "\n" : ",\n").append(inner);
                if (fields != null) {
                    java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> f = fields.next();
                    sb.append(Json.mapper().writeValueAsString(f.getKey())).append(": ");
                    indent(sb, f.getValue(), inner);
                } else {
                    indent(sb, n.get(i), inner);
                }
            }
            sb.append('\n').append(pad).append(n.isObject() ? '}' : ']');
            return;
        }
        sb.append(Json.mapper().writeValueAsString(n));
    }

    /** {@code json.rawtime} / {@code jevt.rawtime}: the event timestamp in nanoseconds, as decimal text. */
    private static Object rawTime(CloudTrailEvent event) {
        return event.hasTime() ? Long.toString(event.timeMillis() * 1_000_000L) : null;
    }

    private static void noArg(String name, String arg) {
        if (arg != null) {
            throw new UnknownFieldException("field '" + name + "' takes no argument");
        }
    }
}
