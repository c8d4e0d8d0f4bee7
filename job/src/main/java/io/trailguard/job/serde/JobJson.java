package io.trailguard.job.serde;

import io.trailguard.rules.event.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The job's own documents (control messages, rule bundles, output lines) in the engine's one Jackson configuration
 * ({@link Json}) with their own limits: bundles need longer strings (a rule file is one JSON string), so the string
 * limit here is the bundle limit, and they nest far less than events.
 */
public final class JobJson {
    /** Longest rule bundle (all files, as JSON) the job accepts. */
    public static final int MAX_BUNDLE_BYTES = 64 * 1024 * 1024;

    private static final ObjectMapper MAPPER = Json.mapper(64, MAX_BUNDLE_BYTES);

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
