package io.trailguard.rules.engine;

import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.Json;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rule match: Falco's JSON alert plus the CloudTrail identity of the event. Serialised as one JSON line:
 * {@code {"time","rule","priority","source","tags","output","output_fields","hostname","event_id","account","region"}}.
 * Values in {@code output_fields} are strings, numbers, lists of strings, or null (absent).
 */
public final class Alert implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String time;
    private final long eventTimeMillis;
    private final String rule;
    private final String priority;
    private final String source;
    private final List<String> tags;
    private final String output;
    private final LinkedHashMap<String, Object> outputFields;
    private final String hostname;
    private final String eventId;
    private final String account;
    private final String region;
    private final LinkedHashMap<String, Object> aggregate;

    public Alert(String time, long eventTimeMillis, String rule, String priority, String source, List<String> tags,
                 String output, Map<String, Object> outputFields, String hostname, String eventId, String account,
                 String region) {
        this(time, eventTimeMillis, rule, priority, source, tags, output, outputFields, hostname, eventId, account,
                region, null);
    }

    /**
     * @param aggregate for a rate rule: what the window measured (count, group, first/last event, event ids,
     *                  window start ...); null for a single-event rule
     */
    public Alert(String time, long eventTimeMillis, String rule, String priority, String source, List<String> tags,
                 String output, Map<String, Object> outputFields, String hostname, String eventId, String account,
                 String region, Map<String, Object> aggregate) {
        this.time = time;
        this.eventTimeMillis = eventTimeMillis;
        this.rule = rule;
        this.priority = priority;
        this.source = source;
        this.tags = Collections.unmodifiableList(new ArrayList<>(tags));
        this.output = output;
        this.outputFields = new LinkedHashMap<>(outputFields);
        this.hostname = hostname;
        this.eventId = eventId;
        this.account = account;
        this.region = region;
        this.aggregate = aggregate == null ? null : new LinkedHashMap<>(aggregate);
    }

    /** For a rate rule, what its window measured; null for a single-event rule. */
    public Map<String, Object> aggregate() {
        return aggregate == null ? null : Collections.unmodifiableMap(aggregate);
    }

    public String time() {
        return time;
    }

    public long eventTimeMillis() {
        return eventTimeMillis;
    }

    public String rule() {
        return rule;
    }

    public String priority() {
        return priority;
    }

    public String source() {
        return source;
    }

    public List<String> tags() {
        return tags;
    }

    public String output() {
        return output;
    }

    public Map<String, Object> outputFields() {
        return Collections.unmodifiableMap(outputFields);
    }

    public String hostname() {
        return hostname;
    }

    public String eventId() {
        return eventId;
    }

    public String account() {
        return account;
    }

    public String region() {
        return region;
    }

    /** The alert as one line of JSON (control characters escaped, so it never spans lines). */
    public String toJson() {
        // Jackson's own writer: no synchronised StringBuffer, one copy into the result
        SegmentedStringWriter out = new SegmentedStringWriter(new BufferRecycler());
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", time);
            g.writeStringField("rule", rule);
            g.writeStringField("priority", priority);
            g.writeStringField("source", source);
            g.writeArrayFieldStart("tags");
            for (String t : tags) {
                g.writeString(t);
            }
            g.writeEndArray();
            g.writeStringField("output", output);
            g.writeObjectFieldStart("output_fields");
            for (Map.Entry<String, Object> e : outputFields.entrySet()) {
                g.writeFieldName(e.getKey());
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
            g.writeStringField("hostname", hostname);
            g.writeStringField("event_id", eventId);
            g.writeStringField("account", account);
            g.writeStringField("region", region);
            if (aggregate != null) {
                g.writeFieldName("aggregate");
                writeValue(g, aggregate);
            }
            g.writeEndObject();
            g.close();
            return out.getAndClear();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Long || v instanceof Integer) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Double) {
            g.writeNumber((Double) v);
        } else if (v instanceof Map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List) {
            g.writeStartArray();
            for (Object o : (List<?>) v) {
                g.writeString(String.valueOf(o));
            }
            g.writeEndArray();
        } else {
            g.writeString(v.toString());
        }
    }

    /** Parses the JSON form back (used by sinks and tests). */
    public static Alert fromJson(String json) {
        try {
            JsonNode n = Json.mapper().readTree(json);
            List<String> tags = new ArrayList<>();
            for (JsonNode t : n.path("tags")) {
                tags.add(t.asText());
            }
            LinkedHashMap<String, Object> fields = new LinkedHashMap<>();
            n.path("output_fields").fields().forEachRemaining(e -> fields.put(e.getKey(), fromNode(e.getValue())));
            String time = text(n, "time");
            long millis = time == null ? 0 : CloudTrailEvent.parseTime(time);
            Map<String, Object> aggregate = null;
            if (n.hasNonNull("aggregate")) {
                aggregate = Json.mapper().convertValue(n.get("aggregate"),
                        new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() { });
            }
            return new Alert(time, millis, text(n, "rule"), text(n, "priority"), text(n, "source"), tags,
                    text(n, "output"), fields, text(n, "hostname"), text(n, "event_id"), text(n, "account"),
                    text(n, "region"), aggregate);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an alert: " + e.getOriginalMessage(), e);
        }
    }

    private static Object fromNode(JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber()) {
            return v.longValue();
        }
        if (v.isArray()) {
            List<String> list = new ArrayList<>();
            ((ArrayNode) v).forEach(x -> list.add(x.asText()));
            return list;
        }
        return v.asText();
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** A JSON object view (for embedding in other documents). */
    public ObjectNode toJsonNode() {
        try {
            return (ObjectNode) Json.mapper().readTree(toJson());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return toJson();
    }
}
