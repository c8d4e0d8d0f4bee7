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
    VALUE_AVG,
    /** A percentile of a numeric field ({@link AggregateSpec#percentile()}), linearly interpolated. */
    VALUE_PERCENTILE,
    /** The median of a numeric field (the 50th percentile). */
    VALUE_MEDIAN,
    /**
     * Sigma {@code temporal}: the number of distinct referenced rules seen within the window (each entry's value
     * names the step, see {@link AggregateSpec#steps()}). Only Sigma correlations use it.
     */
    TEMPORAL,
    /**
     * Sigma {@code temporal_ordered}: how many of the referenced rules occur in order within the window, each
     * step at or after the previous step's event. Only Sigma correlations use it.
     */
    TEMPORAL_ORDERED;

    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for the types that measure a field of each event (value_count, value_sum, value_avg...). */
    public boolean needsField() {
        return this == VALUE_COUNT || isNumeric();
    }

    /** True for the types that measure a numeric field (value_sum, value_avg, value_percentile, value_median). */
    public boolean isNumeric() {
        return this == VALUE_SUM || this == VALUE_AVG || this == VALUE_PERCENTILE || this == VALUE_MEDIAN;
    }

    /** True for temporal and temporal_ordered, whose entries carry the step they matched. */
    public boolean isTemporal() {
        return this == TEMPORAL || this == TEMPORAL_ORDERED;
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
