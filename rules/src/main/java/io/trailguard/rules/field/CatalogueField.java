package io.trailguard.rules.field;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.rules.event.CloudTrailEvent;

import java.util.function.Function;

/**
 * The one shape of the catalogue's fields: a name, a value type and a function of the event that returns the
 * value as {@link Field#extract} does (null when absent). The function is stateless, so the field is immutable
 * and thread-safe.
 */
final class CatalogueField implements Field {
    private final String name;
    private final ValueType type;
    private final Function<CloudTrailEvent, Object> value;

    CatalogueField(String name, ValueType type, Function<CloudTrailEvent, Object> value) {
        this.name = name;
        this.type = type;
        this.value = value;
    }

    /** A field computed from the event's record alone. */
    static CatalogueField ofRecord(String name, ValueType type, Function<ObjectNode, Object> value) {
        return new CatalogueField(name, type, e -> value.apply(e.record()));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ValueType type() {
        return type;
    }

    @Override
    public Object extract(CloudTrailEvent event) {
        return value.apply(event);
    }

    @Override
    public String toString() {
        return name;
    }
}
