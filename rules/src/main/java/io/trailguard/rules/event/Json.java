package io.trailguard.rules.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one Jackson configuration used to read events. Limits keep hostile input bounded: nesting depth,
 * string length and number length are capped (see the README section "Reliability and security").
 */
public final class Json {
    /** Deepest nesting accepted in an event (CloudTrail records nest a few dozen levels at most). */
    public static final int MAX_NESTING_DEPTH = 500;
    /** Longest single JSON string accepted (bytes, approximately). */
    public static final int MAX_STRING_LENGTH = 16 * 1024 * 1024;
    /** Longest number literal accepted. */
    public static final int MAX_NUMBER_LENGTH = 1000;

    private static final ObjectMapper MAPPER = create();

    private Json() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static ObjectMapper create() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxStringLength(MAX_STRING_LENGTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .build())
                .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .build();
        ObjectMapper mapper = new ObjectMapper(factory);
        mapper.configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
        return mapper;
    }

    /** Compact JSON text of a node (strings quoted), as Falco's fastjson marshals values. */
    public static String compact(JsonNode node) {
        return node.toString();
    }
}
