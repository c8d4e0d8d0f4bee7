package io.trailguard.rules.field;

import com.fasterxml.jackson.databind.JsonNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import io.trailguard.rules.event.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code json.path[<JSONPath>]}: a Jayway JsonPath evaluated on the CloudTrail record, for arrays and filters a
 * JSON pointer cannot reach (every {@code cidrIp} under {@code requestParameters.ipPermissions}). Multi-valued:
 * each match is one value (strings unquoted, other values as compact JSON); no match is absent. Also the JSONPath
 * side of {@code json.embedded} ({@link EmbeddedJsonFields}): one configuration, one compiler, one reader.
 *
 * <p>Regex filters ({@code =~}) are refused: Jayway runs them with java.util.regex, which can backtrack
 * exponentially on attacker-controlled event text. Use the {@code regex} operator (RE2) on the extracted values.
 */
final class JsonPathField {
    private static final Configuration CONFIGURATION = Configuration.builder()
            .jsonProvider(new JacksonJsonNodeJsonProvider(Json.mapper()))
            .mappingProvider(new JacksonMappingProvider(Json.mapper()))
            .options(Option.ALWAYS_RETURN_LIST, Option.SUPPRESS_EXCEPTIONS)
            .build();

    private JsonPathField() {
    }

    static Field of(String arg) {
        if (arg == null || arg.isEmpty()) {
            throw new UnknownFieldException("field 'json.path' requires a JSONPath argument, e.g. json.path[$.resources[*].ARN]");
        }
        String name = "json.path[" + arg + "]";
        JsonPath path = compile(name, arg);
        return new CatalogueField(name, ValueType.LIST, event -> values(path, event.record()));
    }

    /** {@code text} compiled for the field {@code name}; regex filters and syntax errors are unknown fields. */
    static JsonPath compile(String name, String text) {
        if (text.contains("=~")) {
            throw new UnknownFieldException("JSONPath regex filters (=~) are not allowed in " + name
                    + ": extract the values and use the 'regex' operator (RE2, linear time)");
        }
        try {
            return JsonPath.compile(text);
        } catch (InvalidPathException | IllegalArgumentException e) {
            throw new UnknownFieldException("invalid JSONPath in " + name + ": " + e.getMessage());
        }
    }

    /** The matches of {@code path} in {@code doc} as a non-empty array, or null (no match, or not applicable). */
    static JsonNode matches(JsonPath path, JsonNode doc) {
        Object result;
        try {
            result = path.read(doc, CONFIGURATION);
        } catch (RuntimeException e) {
            return null; // a path that does not apply to this event's shape extracts nothing
        }
        if (!(result instanceof JsonNode)) {
            return null;
        }
        JsonNode matches = (JsonNode) result;
        return matches.isArray() && !matches.isEmpty() ? matches : null;
    }

    /** A match as a value: a string unquoted, anything else as compact JSON. */
    static String text(JsonNode n) {
        return n.isTextual() ? n.textValue() : Json.compact(n);
    }

    private static List<String> values(JsonPath path, JsonNode record) {
        JsonNode matches = matches(path, record);
        if (matches == null) {
            return null;
        }
        List<String> values = new ArrayList<>(matches.size());
        for (JsonNode m : matches) {
            if (m.isNull() && matches.size() == 1 && !path.isDefinite()) {
                continue;
            }
            values.add(text(m));
        }
        return values.isEmpty() ? null : values;
    }
}
