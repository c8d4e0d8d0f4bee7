package io.trailguard.rules.aggregate;

import io.trailguard.rules.condition.Condition;
import io.trailguard.rules.field.FieldRef;

import java.util.List;

/**
 * One source of the signals a multi-source rate rule (a Sigma correlation) counts. Either an <em>event input</em>:
 * a condition on single events (a referenced Sigma rule, filters included) with its own group-by and value fields
 * (so that correlation {@code aliases} resolve per referenced rule); or a <em>chained input</em>: the firings of
 * another rate rule ({@link #innerRule()}), whose group values feed this rule's group.
 *
 * <p>A rate rule without inputs counts the events its own condition selects, grouped by
 * {@link AggregateSpec#groupBy()} (the Falco dialect's rate rules).
 */
public final class AggregateInput {
    private final String step;
    private final Condition condition;
    private final List<FieldRef> groupBy;
    private final FieldRef valueField;
    private final String innerRule;
    private final int[] innerGroupIndex;
    private final int innerValueIndex;

    private AggregateInput(String step, Condition condition, List<FieldRef> groupBy, FieldRef valueField,
                           String innerRule, int[] innerGroupIndex, int innerValueIndex) {
        this.step = step;
        this.condition = condition;
        this.groupBy = groupBy == null ? List.of() : List.copyOf(groupBy);
        this.valueField = valueField;
        this.innerRule = innerRule;
        this.innerGroupIndex = innerGroupIndex == null ? new int[0] : innerGroupIndex.clone();
        this.innerValueIndex = innerValueIndex;
    }

    /**
     * Events matching {@code condition} count, grouped by {@code groupBy} (one field per group-by position of the
     * rule) and measured on {@code valueField} (null unless the type needs a field).
     *
     * @param step the step this input stands for (temporal types: written into each signal's value), or null
     */
    public static AggregateInput events(String step, Condition condition, List<FieldRef> groupBy,
                                        FieldRef valueField) {
        if (condition == null) {
            throw new IllegalArgumentException("an event input needs a condition");
        }
        return new AggregateInput(step, condition, groupBy, valueField, null, null, -1);
    }

    /**
     * Each firing of rate rule {@code innerRule} counts as one event of this rule at the firing's time.
     *
     * @param innerGroupIndex for each group-by position of this rule, the index of the value in the inner rule's
     *                        group
     * @param innerValueIndex for value_* types, the index in the inner group of the measured value; else -1
     */
    public static AggregateInput chained(String step, String innerRule, int[] innerGroupIndex, int innerValueIndex) {
        return new AggregateInput(step, null, null, null, innerRule, innerGroupIndex, innerValueIndex);
    }

    public boolean isChained() {
        return innerRule != null;
    }

    /** The step key (temporal types), or null. */
    public String step() {
        return step;
    }

    /** The event condition; null for a chained input. */
    public Condition condition() {
        return condition;
    }

    /** Group fields of an event input, one per group-by position of the rule. */
    public List<FieldRef> groupBy() {
        return groupBy;
    }

    /** The measured field of an event input, or null. */
    public FieldRef valueField() {
        return valueField;
    }

    /** Name of the rate rule whose firings feed a chained input; null for an event input. */
    public String innerRule() {
        return innerRule;
    }

    /** Chained input: for each group-by position, the index into the inner rule's group. */
    public int innerGroupIndex(int position) {
        return innerGroupIndex[position];
    }

    public int innerGroupSize() {
        return innerGroupIndex.length;
    }

    /** Chained input: index in the inner group of the measured value, or -1. */
    public int innerValueIndex() {
        return innerValueIndex;
    }
}
