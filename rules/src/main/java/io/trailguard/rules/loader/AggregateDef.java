package io.trailguard.rules.loader;

import io.trailguard.rules.source.Position;

import java.util.List;

/** A rule's {@code aggregate:} block as written (validated for shape; fields are resolved at compile time). */
final class AggregateDef {
    final String type;
    final List<String> groupBy;
    final String field;
    final long timespanMillis;
    final String timespanText;
    final List<String> ops;
    final List<Double> values;
    final Position position;

    AggregateDef(String type, List<String> groupBy, String field, long timespanMillis, String timespanText,
                 List<String> ops, List<Double> values, Position position) {
        this.type = type;
        this.groupBy = groupBy;
        this.field = field;
        this.timespanMillis = timespanMillis;
        this.timespanText = timespanText;
        this.ops = ops;
        this.values = values;
        this.position = position;
    }

    /** Canonical text, part of the rule fingerprint. */
    @Override
    public String toString() {
        return type + "|" + groupBy + "|" + field + "|" + timespanMillis + "|" + ops + "|" + values;
    }
}
