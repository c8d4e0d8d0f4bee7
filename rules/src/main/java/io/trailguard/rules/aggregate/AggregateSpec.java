package io.trailguard.rules.aggregate;

import io.trailguard.rules.field.FieldRef;
import io.trailguard.rules.text.Timespan;

import java.util.List;

/**
 * The compiled {@code aggregate:} block of a rate rule, or the window of a Sigma correlation.
 *
 * <p>A Sigma correlation adds three things: its {@link #inputs()} (the referenced rules, each with its own
 * group-by fields after {@code aliases}, or the inner correlation of a chain), its {@link #steps()} (temporal
 * types: the referenced rules in order) and whether its firings are alerts ({@link #alerts()}: false for an inner
 * correlation of a chain whose outer correlation does not {@code generate}).
 */
public final class AggregateSpec {
    private final AggregateType type;
    private final List<FieldRef> groupBy;
    private final FieldRef valueField;
    private final long timespanMillis;
    private final Threshold threshold;
    private final List<String> steps;
    private final List<AggregateInput> inputs;
    private final boolean alerts;

    public AggregateSpec(AggregateType type, List<FieldRef> groupBy, FieldRef valueField, long timespanMillis,
                         Threshold threshold) {
        this(type, groupBy, valueField, timespanMillis, threshold, List.of(), List.of(), true);
    }

    /**
     * @param groupBy fields naming the group-by positions (for a correlation with inputs, they only name the
     *                positions in alerts; each input extracts its own values)
     * @param steps   temporal types: the step keys in order (temporal_ordered: the sequence; temporal: the set)
     * @param inputs  the sources of signals; empty for a rule that counts the events its own condition selects
     * @param alerts  false when firings only feed chained rules and raise no alert of their own
     */
    public AggregateSpec(AggregateType type, List<FieldRef> groupBy, FieldRef valueField, long timespanMillis,
                         Threshold threshold, List<String> steps, List<AggregateInput> inputs, boolean alerts) {
        if (type.isTemporal() && steps.isEmpty()) {
            throw new IllegalArgumentException(type.text() + " needs the steps it correlates");
        }
        this.type = type;
        this.groupBy = List.copyOf(groupBy);
        this.valueField = valueField;
        this.timespanMillis = timespanMillis;
        this.threshold = threshold;
        this.steps = List.copyOf(steps);
        this.inputs = List.copyOf(inputs);
        this.alerts = alerts;
    }

    public AggregateType type() {
        return type;
    }

    public List<FieldRef> groupBy() {
        return groupBy;
    }

    /** The field counted, summed or averaged; null for event_count (and for rules whose inputs carry it). */
    public FieldRef valueField() {
        return valueField;
    }

    public long timespanMillis() {
        return timespanMillis;
    }

    public Threshold threshold() {
        return threshold;
    }

    /** Temporal types: the step keys (the referenced rules) in order; empty otherwise. */
    public List<String> steps() {
        return steps;
    }

    /** The sources of this rule's signals; empty when its own condition selects the events. */
    public List<AggregateInput> inputs() {
        return inputs;
    }

    /** False when this rule's firings raise no alert and only feed the rules chained on it. */
    public boolean alerts() {
        return alerts;
    }

    /** Parses {@code 90s}, {@code 5m}, {@code 2h}, {@code 1d} ({@link Timespan#RATE_UNITS}); -1 when the text is not a timespan. */
    public static long parseTimespan(String text) {
        return Timespan.millis(text, Timespan.RATE_UNITS);
    }
}
