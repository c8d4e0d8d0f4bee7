package io.trailguard.rules.aggregate;

import io.trailguard.rules.engine.FieldRef;

import java.util.List;

/** The compiled {@code aggregate:} block of a rate rule. */
public final class AggregateSpec {
    private final AggregateType type;
    private final List<FieldRef> groupBy;
    private final FieldRef valueField;
    private final long timespanMillis;
    private final Threshold threshold;

    public AggregateSpec(AggregateType type, List<FieldRef> groupBy, FieldRef valueField, long timespanMillis,
                         Threshold threshold) {
        this.type = type;
        this.groupBy = List.copyOf(groupBy);
        this.valueField = valueField;
        this.timespanMillis = timespanMillis;
        this.threshold = threshold;
    }

    public AggregateType type() {
        return type;
    }

    public List<FieldRef> groupBy() {
        return groupBy;
    }

    /** The field counted, summed or averaged; null for event_count. */
    public FieldRef valueField() {
        return valueField;
    }

    public long timespanMillis() {
        return timespanMillis;
    }

    public Threshold threshold() {
        return threshold;
    }

    /** Parses {@code 90s}, {@code 5m}, {@code 2h}, {@code 1d}; -1 when the text is not a timespan. */
    public static long parseTimespan(String text) {
        if (text == null || !text.matches("\\d{1,9}[smhd]")) {
            return -1;
        }
        long n = Long.parseLong(text.substring(0, text.length() - 1));
        switch (text.charAt(text.length() - 1)) {
            case 's':
                return n * 1000L;
            case 'm':
                return n * 60_000L;
            case 'h':
                return n * 3_600_000L;
            default:
                return n * 86_400_000L;
        }
    }
}
