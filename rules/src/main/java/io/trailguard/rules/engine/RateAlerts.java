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

    RateAlerts(String hostname) {
        this.hostname = hostname;
    }

    /** The alert of a rate rule whose window fired for a group. */
    Alert alert(Rule r, String[] group, Firing f) {
        AggregateSpec spec = r.aggregate();
        WindowEntry last = f.last();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("type", spec.type().text());
        details.put("condition", spec.threshold().toString());
        details.put("timespan_ms", spec.timespanMillis());
        Map<String, Object> groupMap = new LinkedHashMap<>();
        for (int i = 0; i < group.length; i++) {
            groupMap.put(spec.groupBy().get(i).name(), group[i]);
        }
        details.put("group", groupMap);
        details.put("count", f.count());
        if (spec.type() == AggregateType.VALUE_COUNT || spec.type() == AggregateType.TEMPORAL) {
            details.put("distinct", (long) f.distinctValues().size());
            details.put("values", f.distinctValues());
        } else if (spec.type() == AggregateType.TEMPORAL_ORDERED) {
            details.put("steps", (long) f.measure());
            details.put("values", f.distinctValues());
        } else if (spec.type().needsField()) {
            details.put("value", f.measure());
        }
        details.put("window_start", RuleSet.isoTime(f.windowStart()));
        details.put("window_end", RuleSet.isoTime(f.windowEnd()));
        details.put("first_time", RuleSet.isoTime(f.first().time));
        details.put("last_time", RuleSet.isoTime(last.time));
        details.put("first_event_id", f.first().eventId());
        details.put("last_event_id", last.eventId());
        details.put("event_ids", f.eventIds());
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
        return new Alert(RuleSet.isoTime(last.time), last.time, r.name(), r.priority().display(), r.source(), r.tags(),
                r.output().format(lookup), r.output().fieldValues(lookup), hostname, last.eventId(), last.account,
                last.region, details);
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
