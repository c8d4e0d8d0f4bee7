package io.trailguard.rules.field;

import io.trailguard.rules.event.CloudTrailEvent;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code aggregate.*} fields of a rate rule's output: they describe the window that fired, so they have no
 * value on a single event (extract is always absent) and are filled from the window's {@code Firing} when the
 * alert is built. Using them in a condition, or in a rule without {@code aggregate}, is a load error.
 */
public final class AggregateField implements Field {
    public static final String PREFIX = "aggregate.";
    private static final Map<String, ValueType> FIELDS = new TreeMap<>();

    static {
        FIELDS.put("aggregate.count", ValueType.NUMBER);
        FIELDS.put("aggregate.distinct", ValueType.NUMBER);
        FIELDS.put("aggregate.values", ValueType.LIST);
        FIELDS.put("aggregate.value", ValueType.STRING);
        FIELDS.put("aggregate.group", ValueType.STRING);
        FIELDS.put("aggregate.first_time", ValueType.STRING);
        FIELDS.put("aggregate.last_time", ValueType.STRING);
        FIELDS.put("aggregate.first_event_id", ValueType.STRING);
        FIELDS.put("aggregate.last_event_id", ValueType.STRING);
        FIELDS.put("aggregate.event_ids", ValueType.LIST);
        FIELDS.put("aggregate.timespan", ValueType.STRING);
    }

    private final String name;

    private AggregateField(String name) {
        this.name = name;
    }

    /** Null when {@code name} is not an aggregate.* field. */
    public static Field resolve(String name, String arg) {
        if (!FIELDS.containsKey(name)) {
            return null;
        }
        if (arg != null) {
            throw new UnknownFieldException("field '" + name + "' takes no argument");
        }
        return new AggregateField(name);
    }

    public static Set<String> names() {
        return FIELDS.keySet();
    }

    public static boolean isAggregate(String fieldName) {
        return fieldName.startsWith(PREFIX);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ValueType type() {
        return FIELDS.get(name);
    }

    @Override
    public Object extract(CloudTrailEvent event) {
        return null;
    }
}
