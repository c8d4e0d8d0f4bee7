package io.trailguard.rules.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one Jackson configuration: events are read with {@link #mapper()}; other documents (the job's rule bundles
 * and control messages) get the same configuration with their own limits from {@link #mapper(int, int)}. Limits
 * keep hostile input bounded: nesting depth, string length and number length are capped (docs/security.md).
 */
public final class Json {
    /** Deepest nesting accepted in an event (CloudTrail records nest a few dozen levels at most). */
    public static final int MAX_NESTING_DEPTH = 500;
    /** Longest single JSON string accepted (bytes, approximately). */
    public static final int MAX_STRING_LENGTH = 16 * 1024 * 1024;
    /** Longest number literal accepted. */
    public static final int MAX_NUMBER_LENGTH = 1000;

    private static final ObjectMapper MAPPER = mapper(MAX_NESTING_DEPTH, MAX_STRING_LENGTH);

    private Json() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A new mapper of this configuration with other limits on nesting depth and string length. */
    public static ObjectMapper mapper(int maxNestingDepth, int maxStringLength) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxNestingDepth)
                        .maxStringLength(maxStringLength)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .build())
                .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .build();
        ObjectMapper mapper = new ObjectMapper(factory);
        mapper.configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
        return mapper;
    }

    /**
     * Compact JSON text of a node (strings quoted), as Falco's fastjson marshals values: {@link JsonNode#toString()},
     * written without a generator when {@link GeneratorText} can.
     */
    public static String compact(JsonNode node) {
        String text = GeneratorText.node(node);
        return text != null ? text : node.toString();
    }
}
