package io.trailguard.rules.field;

import com.fasterxml.jackson.databind.JsonNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code json.path[<JSONPath>]}: a Jayway JsonPath evaluated on the CloudTrail record, for arrays and filters a
 * JSON pointer cannot reach (every {@code cidrIp} under {@code requestParameters.ipPermissions}). Multi-valued:
 * each match is one value (strings unquoted, other values as compact JSON); no match is absent.
 *
 * <p>Regex filters ({@code =~}) are refused: Jayway runs them with java.util.regex, which can backtrack
 * exponentially on attacker-controlled event text. Use the {@code regex} operator (RE2) on the extracted values.
 */
final class JsonPathField implements Field {
    private static final Configuration CONFIGURATION = Configuration.builder()
            .jsonProvider(new JacksonJsonNodeJsonProvider(Json.mapper()))
            .mappingProvider(new JacksonMappingProvider(Json.mapper()))
            .options(Option.ALWAYS_RETURN_LIST, Option.SUPPRESS_EXCEPTIONS)
            .build();

    private final String name;
    private final JsonPath path;

    JsonPathField(String arg) {
        if (arg == null || arg.isEmpty()) {
            throw new UnknownFieldException("field 'json.path' requires a JSONPath argument, e.g. json.path[$.resources[*].ARN]");
        }
        this.name = "json.path[" + arg + "]";
        if (arg.contains("=~")) {
            throw new UnknownFieldException("JSONPath regex filters (=~) are not allowed in " + name
                    + ": extract the values and use the 'regex' operator (RE2, linear time)");
        }
        try {
            this.path = JsonPath.compile(arg);
        } catch (InvalidPathException | IllegalArgumentException e) {
            throw new UnknownFieldException("invalid JSONPath in " + name + ": " + e.getMessage());
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ValueType type() {
        return ValueType.LIST;
    }

    @Override
    public Object extract(CloudTrailEvent event) {
        Object result;
        try {
            result = path.read(event.record(), CONFIGURATION);
        } catch (RuntimeException e) {
            return null; // a path that does not apply to this event's shape extracts nothing
        }
        if (!(result instanceof JsonNode)) {
            return null;
        }
        JsonNode matches = (JsonNode) result;
        if (!matches.isArray() || matches.isEmpty()) {
            return null;
        }
        List<String> values = new ArrayList<>(matches.size());
        for (JsonNode m : matches) {
            if (m.isNull() && matches.size() == 1 && !path.isDefinite()) {
                continue;
            }
            values.add(m.isTextual() ? m.textValue() : Json.compact(m));
        }
        return values.isEmpty() ? null : values;
    }
}
