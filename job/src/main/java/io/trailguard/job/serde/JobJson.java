package io.trailguard.job.serde;

import io.trailguard.rules.event.Json;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Jackson configuration for the job's own documents (control messages, rule bundles, output lines). Events are
 * read by the engine's {@link Json}; bundles need longer strings (a rule file is one JSON
 * string), so the string limit here is the bundle limit.
 */
public final class JobJson {
    /** Longest rule bundle (all files, as JSON) the job accepts. */
    public static final int MAX_BUNDLE_BYTES = 64 * 1024 * 1024;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(MAX_BUNDLE_BYTES)
                    .maxNestingDepth(64)
                    .build())
            .build());

    private JobJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Compact JSON of a tree (cannot fail for trees of plain values). */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
