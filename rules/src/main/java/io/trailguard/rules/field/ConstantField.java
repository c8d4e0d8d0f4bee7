package io.trailguard.rules.field;

import io.trailguard.rules.event.CloudTrailEvent;

import java.util.List;

/**
 * A field whose value is fixed when the rule is compiled, whatever the event: a rule's own metadata in its
 * output_fields (for a Sigma rule, {@code sigma.id}, {@code sigma.level}...). The value is a String or a
 * {@code List<String>} (type LIST). Rate alerts read it directly (it is not carried by each counted event).
 */
public final class ConstantField implements Field {
    private final String name;
    private final Object value;

    public ConstantField(String name, String value) {
        this.name = name;
        this.value = value;
    }

    public ConstantField(String name, List<String> values) {
        this.name = name;
        this.value = List.copyOf(values);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ValueType type() {
        return value instanceof List ? ValueType.LIST : ValueType.STRING;
    }

    /** The fixed value (String or List of String). */
    public Object value() {
        return value;
    }

    @Override
    public Object extract(CloudTrailEvent event) {
        return value;
    }
}
