package io.trailguard.rules.loader;

import io.trailguard.rules.aggregate.AggregateSpec;
import io.trailguard.rules.aggregate.AggregateType;
import io.trailguard.rules.source.RuleLoadException;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the {@code aggregate:} block of a Falco rate rule into an {@link AggregateDef}, checking its shape. */
final class AggregateReader {
    private static final Set<String> AGGREGATE_KEYS = Set.of("type", "group_by", "timespan", "field", "gt", "gte",
            "lt", "lte", "eq", "neq");

    private AggregateReader() {}

    /** The {@code aggregate:} block of a rate rule (Trailguard extension; see the README). */
    static AggregateDef read(FalcoYaml yaml, Node n) {
        if (!(n instanceof MappingNode)) {
            throw new RuleLoadException(yaml.pos(n), "aggregate must be a mapping with type, timespan and a threshold");
        }
        yaml.warnUnknownKeys((MappingNode) n, AGGREGATE_KEYS);
        Map<String, Node> a = yaml.entries((MappingNode) n);
        if (!a.containsKey("type")) {
            throw new RuleLoadException(yaml.pos(n), "aggregate needs a 'type': event_count or value_count");
        }
        String type = yaml.string(a.get("type"), "aggregate type");
        AggregateType t = AggregateType.parse(type);
        boolean sigmaOnly = t != null && (t.isTemporal() || t == AggregateType.VALUE_PERCENTILE
                || t == AggregateType.VALUE_MEDIAN);
        if (t == null || sigmaOnly) {
            throw new RuleLoadException(yaml.pos(a.get("type")), "unknown aggregate type '" + type + "' (expected "
                    + "event_count, value_count, value_sum or value_avg"
                    + (t == null ? ")" : "; " + type + " correlations are written as Sigma correlation rules)"));
        }
        String field = a.containsKey("field") ? yaml.string(a.get("field"), "aggregate field") : null;
        if (t.needsField() && field == null) {
            throw new RuleLoadException(yaml.pos(n), "aggregate type " + type + " needs a 'field' to measure");
        }
        if (!t.needsField() && field != null) {
            throw new RuleLoadException(yaml.pos(a.get("field")), "aggregate type event_count takes no 'field'");
        }
        List<String> groupBy = Collections.emptyList();
        if (a.containsKey("group_by")) {
            Node g = a.get("group_by");
            groupBy = g instanceof ScalarNode ? List.of(yaml.string(g, "group_by"))
                    : yaml.strings(g, "group_by");
        }
        if (!a.containsKey("timespan")) {
            throw new RuleLoadException(yaml.pos(n), "aggregate needs a 'timespan' (e.g. 5m; units s, m, h, d)");
        }
        String span = yaml.string(a.get("timespan"), "timespan");
        long millis = AggregateSpec.parseTimespan(span);
        if (millis <= 0) {
            throw new RuleLoadException(yaml.pos(a.get("timespan")), "invalid timespan '" + span + "' (a positive number "
                    + "followed by s, m, h or d, e.g. 5m)");
        }
        List<String> ops = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (String op : Arrays.asList("gt", "gte", "lt", "lte", "eq", "neq")) {
            if (a.containsKey(op)) {
                String v = yaml.string(a.get(op), op);
                try {
                    values.add(Double.parseDouble(v));
                } catch (NumberFormatException ex) {
                    throw new RuleLoadException(yaml.pos(a.get(op)), "aggregate " + op + " must be a number, not '" + v + "'");
                }
                ops.add(op);
            }
        }
        if (ops.isEmpty() || ops.size() > 2) {
            throw new RuleLoadException(yaml.pos(n), "aggregate needs exactly one threshold, or two for a range, of "
                    + "gt, gte, lt, lte, eq, neq (found " + ops.size() + ")");
        }
        return new AggregateDef(type, groupBy, field, millis, span, ops, values, yaml.pos(n));
    }
}
