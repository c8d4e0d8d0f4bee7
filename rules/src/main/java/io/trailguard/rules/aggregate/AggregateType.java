package io.trailguard.rules.aggregate;

import java.util.Locale;

/** What a rate rule measures over its window (Sigma correlation types). */
public enum AggregateType {
    /** Number of counted events. */
    EVENT_COUNT,
    /** Number of distinct values of a field. */
    VALUE_COUNT,
    /** Sum of a numeric field. */
    VALUE_SUM,
    /** Average of a numeric field. */
    VALUE_AVG;

    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean needsField() {
        return this != EVENT_COUNT;
    }

    /** Null when the text names no type. */
    public static AggregateType parse(String text) {
        for (AggregateType t : values()) {
            if (t.text().equals(text)) {
                return t;
            }
        }
        return null;
    }
}
