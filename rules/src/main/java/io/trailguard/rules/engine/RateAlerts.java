package io.trailguard.rules.engine;

import io.trailguard.rules.aggregate.AggregateSpec;
import io.trailguard.rules.aggregate.AggregateType;
import io.trailguard.rules.aggregate.Firing;
import io.trailguard.rules.aggregate.WindowEntry;
import io.trailguard.rules.field.AggregateField;
import io.trailguard.rules.field.ConstantField;
import io.trailguard.rules.field.ValueLookup;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the alert of a rate rule whose window fired for a group: its output from the {@code aggregate.*} fields,
 * the rule's constant fields and the output values carried by the last counted event, and the firing's summary.
 */
final class RateAlerts {
    private final String hostname;
    private final java.util.function.Function<Rule, RuleIdentity> identities;

    RateAlerts(String hostname, java.util.function.Function<Rule, RuleIdentity> identities) {
        this.hostname = hostname;
        this.identities = identities;
    }

    /** The alert of a rate rule whose window fired for a group. */
    Alert alert(Rule r, String[] group, Firing f) {
        AggregateSpec spec = r.aggregate();
        WindowEntry last = f.last();
        Map<String, String> groupMap = new LinkedHashMap<>();
        for (int i = 0; i < group.length; i++) {
            groupMap.put(spec.groupBy().get(i).name(), group[i]);
        }
        AggregateType type = spec.type();
        boolean distinct = type == AggregateType.VALUE_COUNT || type == AggregateType.TEMPORAL;
        boolean ordered = type == AggregateType.TEMPORAL_ORDERED;
        RateSummary summary = new RateSummary(type.text(), spec.threshold().toString(), spec.timespanMillis(),
                groupMap, f.count(),
                distinct ? (Long) (long) f.distinctValues().size() : null,
                ordered ? (Long) (long) f.measure() : null,
                !distinct && !ordered && type.needsField() ? (Double) f.measure() : null,
                distinct || ordered ? f.distinctValues() : null,
                f.windowStart(), f.windowEnd(), f.first().time, last.time, f.first().eventId(), last.eventId(),
                f.eventIds());
        ValueLookup lookup = ref -> {
            String name = ref.name();
            if (AggregateField.isAggregate(name)) {
                return aggregateValue(name, spec, group, f);
            }
            if (ref.field() instanceof ConstantField) {
                return ((ConstantField) ref.field()).value();
            }
            int i = r.signalFields().indexOf(ref);
            return i < 0 ? null : last.outputValue(i, group);
        };
        Map<String, Object> fields = r.output().fieldValues(lookup);
        return Alert.builder()
                .rule(identities.apply(r))
                .event(EventReference.at(last.eventId(), last.time, last.account, last.region))
                .subject(RateSubjects.of(groupMap, fields))
                .output(r.output().format(lookup))
                .outputFields(fields)
                .hostname(hostname)
                .rate(summary)
                .build();
    }

    private static Object aggregateValue(String name, AggregateSpec spec, String[] group, Firing f) {
        switch (name) {
            case "aggregate.count":
                return f.count();
            case "aggregate.distinct":
                return (long) f.distinctValues().size();
            case "aggregate.values":
                return f.distinctValues().isEmpty() ? null : f.distinctValues();
            case "aggregate.value": {
                double m = f.measure();
                return m == Math.rint(m) ? Long.toString((long) m) : Double.toString(m);
            }
            case "aggregate.group":
                return String.join(",", group);
            case "aggregate.first_time":
                return RuleSet.isoTime(f.first().time);
            case "aggregate.last_time":
                return RuleSet.isoTime(f.last().time);
            case "aggregate.first_event_id":
                return f.first().eventId();
            case "aggregate.last_event_id":
                return f.last().eventId();
            case "aggregate.event_ids":
                return f.eventIds();
            case "aggregate.timespan":
                return (spec.timespanMillis() / 1000) + "s";
            default:
                return null;
        }
    }
}
