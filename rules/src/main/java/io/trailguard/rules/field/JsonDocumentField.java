package io.trailguard.rules.field;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.Json;

/** {@code json.obj} / {@code jevt.obj}: the whole record, pretty-printed with a 2-space indent. */
final class JsonDocumentField implements Field {
    private final String name;

    JsonDocumentField(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ValueType type() {
        return ValueType.STRING;
    }

    @Override
    public Object extract(CloudTrailEvent event) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(event.record());
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
