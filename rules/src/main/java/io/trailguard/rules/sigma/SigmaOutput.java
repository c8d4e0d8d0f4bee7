package io.trailguard.rules.sigma;

import io.trailguard.rules.aggregate.AggregateType;
import io.trailguard.rules.field.AggregateField;
import io.trailguard.rules.field.ConstantField;
import io.trailguard.rules.field.FieldRef;
import io.trailguard.rules.field.FieldTable;
import io.trailguard.rules.output.OutputFormat;

import java.util.ArrayList;
import java.util.List;

/**
 * The alert text and output_fields of Sigma rules.
 *
 * <p>A detection rule prints {@code <title>: <eventName> by <userIdentity.arn> from <sourceIPAddress> in
 * <awsRegion>} and reports those four fields, then {@code sigma.id}, {@code sigma.level}, {@code sigma.status},
 * {@code sigma.references}, {@code sigma.falsepositives}, {@code sigma.errata} (when the rule has them) and the
 * rule's own {@code fields:}. A correlation prints what its window measured (count, distinct values, the rules
 * seen), the timespan and the group, then the last counted event like a detection rule.
 */
final class SigmaOutput {
    static final List<String> EVENT_PATHS = List.of("eventName", "userIdentity.arn", "sourceIPAddress", "awsRegion");

    private SigmaOutput() {}

    static FieldRef text(FieldTable fields, String name, String path) {
        return fields.ref(SigmaTextField.canonicalName(name, path), () -> new SigmaTextField(name, path));
    }

    /** The fields describing the last event, shared by detection rules and correlations (signal fields). */
    static List<FieldRef> eventFields(FieldTable fields) {
        List<FieldRef> out = new ArrayList<>();
        for (String p : EVENT_PATHS) {
            out.add(text(fields, p, p));
        }
        return out;
    }

    private static List<Object> eventText(List<FieldRef> ev) {
        List<Object> parts = new ArrayList<>();
        parts.add(ev.get(0));
        parts.add(" by ");
        parts.add(ev.get(1));
        parts.add(" from ");
        parts.add(ev.get(2));
        parts.add(" in ");
        parts.add(ev.get(3));
        return parts;
    }

    static OutputFormat detection(FieldTable fields, SigmaDocument doc, List<String> errata) {
        List<FieldRef> ev = eventFields(fields);
        List<Object> parts = new ArrayList<>();
        parts.add(doc.title + ": ");
        parts.addAll(eventText(ev));
        List<FieldRef> extra = metadata(fields, doc, errata);
        for (String f : doc.fields) {
            extra.add(text(fields, f, f));
        }
        return OutputFormat.of(parts, extra);
    }

    static OutputFormat correlation(FieldTable fields, SigmaDocument doc, AggregateType type, List<String> groupBy,
                                    List<String> valueFields) {
        List<FieldRef> ev = eventFields(fields);
        List<Object> parts = new ArrayList<>();
        parts.add(doc.title + ": ");
        String field = String.join(",", valueFields);
        switch (type) {
            case EVENT_COUNT:
                parts.add(aggregate(fields, "aggregate.count"));
                parts.add(" events");
                break;
            case VALUE_COUNT:
                parts.add(aggregate(fields, "aggregate.distinct"));
                parts.add(" distinct " + field + " values ");
                parts.add(aggregate(fields, "aggregate.values"));
                break;
            case VALUE_SUM:
                parts.add("sum of " + field + " ");
                parts.add(aggregate(fields, "aggregate.value"));
                break;
            case VALUE_AVG:
                parts.add("average of " + field + " ");
                parts.add(aggregate(fields, "aggregate.value"));
                break;
            case VALUE_PERCENTILE:
                parts.add("percentile of " + field + " ");
                parts.add(aggregate(fields, "aggregate.value"));
                break;
            case VALUE_MEDIAN:
                parts.add("median of " + field + " ");
                parts.add(aggregate(fields, "aggregate.value"));
                break;
            case TEMPORAL:
                parts.add("rules ");
                parts.add(aggregate(fields, "aggregate.values"));
                break;
            default:
                parts.add("rules in order ");
                parts.add(aggregate(fields, "aggregate.values"));
                break;
        }
        parts.add(" within ");
        parts.add(aggregate(fields, "aggregate.timespan"));
        if (!groupBy.isEmpty()) {
            parts.add(" for " + String.join(",", groupBy) + "=");
            parts.add(aggregate(fields, "aggregate.group"));
        }
        parts.add("; last event ");
        parts.addAll(eventText(ev));
        List<FieldRef> extra = new ArrayList<>();
        extra.add(aggregate(fields, "aggregate.count"));
        extra.add(aggregate(fields, "aggregate.first_time"));
        extra.add(aggregate(fields, "aggregate.last_time"));
        extra.add(aggregate(fields, "aggregate.event_ids"));
        extra.addAll(metadata(fields, doc, List.of()));
        extra.add(constant(fields, "sigma.correlation", type.text()));
        return OutputFormat.of(parts, extra);
    }

    private static FieldRef aggregate(FieldTable fields, String name) {
        return fields.ref(name, () -> AggregateField.resolve(name, null));
    }

    private static List<FieldRef> metadata(FieldTable fields, SigmaDocument doc, List<String> errata) {
        List<FieldRef> out = new ArrayList<>();
        if (doc.id != null) {
            out.add(constant(fields, "sigma.id", doc.id));
        }
        if (doc.name != null) {
            out.add(constant(fields, "sigma.name", doc.name));
        }
        if (doc.level != null) {
            out.add(constant(fields, "sigma.level", doc.level));
        }
        if (doc.status != null) {
            out.add(constant(fields, "sigma.status", doc.status));
        }
        if (!doc.references.isEmpty()) {
            out.add(constant(fields, "sigma.references", doc.references));
        }
        if (!doc.falsepositives.isEmpty()) {
            out.add(constant(fields, "sigma.falsepositives", doc.falsepositives));
        }
        if (!errata.isEmpty()) {
            out.add(constant(fields, "sigma.errata", errata));
        }
        return out;
    }

    static FieldRef constant(FieldTable fields, String name, String value) {
        return fields.ref("sigma.const:" + name + "\u0000" + value, () -> new ConstantField(name, value));
    }

    static FieldRef constant(FieldTable fields, String name, List<String> values) {
        return fields.ref("sigma.const:" + name + "\u0000" + String.join("\u0000", values) + "\u0000" + values.size(),
                () -> new ConstantField(name, values));
    }
}
