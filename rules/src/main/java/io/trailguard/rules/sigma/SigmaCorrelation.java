package io.trailguard.rules.sigma;

import io.trailguard.rules.aggregate.AggregateType;
import io.trailguard.rules.aggregate.RateWindow;
import io.trailguard.rules.aggregate.Threshold;
import io.trailguard.rules.source.Position;
import io.trailguard.rules.text.Timespan;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * The {@code correlation} section of a Sigma document as written (pySigma's {@code SigmaCorrelationRule}): type,
 * rule references, group-by, timespan, aliases and condition, each checked for shape when it is parsed. The
 * references are names here; {@link CorrelationResolver} finds what they name.
 */
final class SigmaCorrelation {
    private static final Set<String> KEYS = Set.of("type", "rules", "group-by", "timespan", "condition",
            "aliases", "generate");
    private static final Set<String> CONDITION_OPS = Set.of("gt", "gte", "lt", "lte", "eq", "neq");

    /** The {@code condition} mapping: comparisons, and the measured field(s) of the value_* types. */
    private static final class Comparison {
        /** Null for a temporal correlation without condition (every rule must match). */
        final List<String> ops;
        final List<Double> values;
        final List<String> fields;

        Comparison(List<String> ops, List<Double> values, List<String> fields) {
            this.ops = ops;
            this.values = values;
            this.fields = fields;
        }
    }

    final AggregateType type;
    /** The {@code rules} entries in order (a reference may repeat: temporal_ordered steps). */
    final List<SigmaReference> rules;
    final List<String> groupBy;
    final long span;
    final boolean generate;
    /** Per alias name, the field it stands for in each rule it names. */
    final Map<String, Map<SigmaReference, String>> aliases;
    /** The condition's field(s) for the value_* types; empty otherwise. */
    final List<String> valueFields;
    private final Comparison condition;

    private SigmaCorrelation(AggregateType type, List<SigmaReference> rules, List<String> groupBy, long span,
                             boolean generate, Map<String, Map<SigmaReference, String>> aliases, Comparison condition) {
        this.type = type;
        this.rules = rules;
        this.groupBy = groupBy;
        this.span = span;
        this.generate = generate;
        this.aliases = aliases;
        this.valueFields = condition.fields;
        this.condition = condition;
    }

    /**
     * The threshold that fires the correlation. Without a condition a temporal correlation needs all its
     * distinct rules ({@code temporal}) or all its steps ({@code temporal_ordered}).
     */
    Threshold threshold(int distinctRules, int steps) {
        if (condition.ops == null) {
            return new Threshold(List.of("gte"),
                    List.of((double) (type == AggregateType.TEMPORAL ? distinctRules : steps)));
        }
        return new Threshold(condition.ops, condition.values);
    }

    /** Parses the correlation section of {@code d}; unknown keys are warnings, anything malformed throws. */
    static SigmaCorrelation parse(SigmaDocument d, BiConsumer<Position, String> warn) {
        String file = d.file;
        Node section = d.top.get("correlation");
        Map<String, Node> m = SigmaYaml.map(file, section, "correlation");
        Map<String, Node> keys = SigmaYaml.keys(section);
        for (String k : m.keySet()) {
            if (!KEYS.contains(k)) {
                warn.accept(SigmaYaml.pos(file, keys.get(k)), "Sigma correlation " + d.label() + ": unknown key '" + k
                        + "' ignored (known: " + new TreeSet<>(KEYS) + ")");
            }
        }
        Node typeNode = m.get("type");
        if (typeNode == null) {
            throw new SigmaException(SigmaYaml.pos(file, section), "a correlation needs a 'type'");
        }
        String typeText = SigmaYaml.string(file, typeNode, "correlation type");
        AggregateType type = AggregateType.parse(typeText);
        if (typeText.equals("value_percentile") || typeText.equals("value_median")) {
            throw new SigmaException(SigmaYaml.pos(file, typeNode), "correlation type " + typeText + " is not "
                    + "supported (supported: event_count, value_count, value_sum, value_avg, temporal, "
                    + "temporal_ordered)");
        }
        if (type == null) {
            throw new SigmaException(SigmaYaml.pos(file, typeNode), "unknown correlation type '" + typeText
                    + "' (expected event_count, value_count, value_sum, value_avg, temporal or temporal_ordered)");
        }
        Node conditionNode = m.get("condition");
        if (conditionNode instanceof ScalarNode && !SigmaYaml.isNull(conditionNode)) {
            throw new SigmaException(SigmaYaml.pos(file, conditionNode), "extended (boolean expression) correlation "
                    + "conditions are not supported: the condition is a mapping such as 'gte: 3'");
        }
        Node rules = m.get("rules");
        if (rules == null || SigmaYaml.isNull(rules)) {
            throw new SigmaException(SigmaYaml.pos(file, section), "a correlation needs 'rules': the ids or names of "
                    + "the rules it correlates");
        }
        List<Node> refNodes = rules instanceof SequenceNode ? ((SequenceNode) rules).getValue() : List.of(rules);
        if (refNodes.isEmpty()) {
            throw new SigmaException(SigmaYaml.pos(file, rules), "'rules' is empty");
        }
        List<SigmaReference> references = new ArrayList<>();
        for (Node r : refNodes) {
            references.add(new SigmaReference(SigmaYaml.string(file, r, "a rule reference"), r));
        }
        List<String> groupBy = List.of();
        Node groupByNode = m.get("group-by");
        if (groupByNode != null && !SigmaYaml.isNull(groupByNode)) {
            groupBy = SigmaYaml.strings(file, groupByNode, "group-by");
        }
        Node span = m.get("timespan");
        if (span == null) {
            throw new SigmaException(SigmaYaml.pos(file, section), "a correlation needs a 'timespan' (e.g. 5m)");
        }
        long spanMillis = timespan(file, span);
        boolean generate = m.containsKey("generate") && SigmaYaml.bool(file, m.get("generate"), "generate");
        Map<String, Map<SigmaReference, String>> aliases = new LinkedHashMap<>();
        Node aliasesNode = m.get("aliases");
        if (aliasesNode != null && !SigmaYaml.isNull(aliasesNode)) {
            for (Map.Entry<String, Node> a : SigmaYaml.map(file, aliasesNode, "aliases").entrySet()) {
                Map<SigmaReference, String> perRule = new LinkedHashMap<>();
                Map<String, Node> entryKeys = SigmaYaml.keys(a.getValue());
                for (Map.Entry<String, Node> e : SigmaYaml.map(file, a.getValue(), "alias " + a.getKey()).entrySet()) {
                    perRule.put(new SigmaReference(e.getKey(), entryKeys.get(e.getKey())),
                            SigmaYaml.string(file, e.getValue(), "alias field"));
                }
                aliases.put(a.getKey(), perRule);
            }
        }
        return new SigmaCorrelation(type, references, groupBy, spanMillis, generate, aliases,
                condition(d, type, conditionNode));
    }

    private static Comparison condition(SigmaDocument d, AggregateType type, Node conditionNode) {
        String file = d.file;
        List<String> valueFields = List.of();
        if (conditionNode == null || SigmaYaml.isNull(conditionNode)) {
            if (!type.isTemporal()) {
                throw new SigmaException(d.keyPosition("correlation"), "a " + type.text() + " correlation needs "
                        + "a 'condition' such as 'gte: 10'");
            }
            return new Comparison(null, null, valueFields);
        }
        List<String> ops = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        Map<String, Node> cond = SigmaYaml.map(file, conditionNode, "condition");
        Map<String, Node> keys = SigmaYaml.keys(conditionNode);
        for (Map.Entry<String, Node> e : cond.entrySet()) {
            String k = e.getKey();
            if (CONDITION_OPS.contains(k)) {
                BigDecimal v = e.getValue() instanceof ScalarNode
                        && (e.getValue().getTag().equals(Tag.INT) || e.getValue().getTag().equals(Tag.FLOAT))
                        ? SigmaDetectionItem.yamlNumber(((ScalarNode) e.getValue()).getValue()) : null;
                if (v == null) {
                    throw new SigmaException(SigmaYaml.pos(file, e.getValue()), "condition " + k + " must be a "
                            + "number");
                }
                ops.add(k);
                values.add(v.doubleValue());
            } else if (k.equals("field")) {
                valueFields = SigmaYaml.strings(file, e.getValue(), "condition field");
            } else if (k.equals("percentile")) {
                throw new SigmaException(SigmaYaml.pos(file, keys.get(k)), "'percentile' belongs to "
                        + "value_percentile, which is not supported");
            } else {
                throw new SigmaException(SigmaYaml.pos(file, keys.get(k)), "unknown condition key '" + k
                        + "' (expected gt, gte, lt, lte, eq, neq and, for value_* types, field)");
            }
        }
        if (ops.isEmpty() || ops.size() > 2) {
            throw new SigmaException(SigmaYaml.pos(file, conditionNode), "a correlation condition needs one "
                    + "comparison, or two for a range, of gt, gte, lt, lte, eq, neq (found " + ops.size() + ")");
        }
        if (type.needsField() && valueFields.isEmpty()) {
            throw new SigmaException(SigmaYaml.pos(file, conditionNode), "a " + type.text() + " correlation needs "
                    + "'field' in its condition");
        }
        if (!type.needsField() && !valueFields.isEmpty()) {
            throw new SigmaException(SigmaYaml.pos(file, conditionNode), "a " + type.text() + " correlation takes "
                    + "no 'field'");
        }
        if ((type == AggregateType.VALUE_SUM || type == AggregateType.VALUE_AVG) && valueFields.size() > 1) {
            throw new SigmaException(SigmaYaml.pos(file, conditionNode), type.text() + " measures one field");
        }
        if (type == AggregateType.EVENT_COUNT) {
            for (double v : values) {
                if (v > RateWindow.MAX_ENTRIES) {
                    throw new SigmaException(SigmaYaml.pos(file, conditionNode), "event_count thresholds above "
                            + RateWindow.MAX_ENTRIES + " are not supported (events kept per group)");
                }
            }
        }
        return new Comparison(ops, values, valueFields);
    }

    private static long timespan(String file, Node n) {
        String t = SigmaYaml.string(file, n, "timespan").trim();
        long millis = Timespan.millis(t, Timespan.SIGMA_UNITS);
        if (millis < 0) {
            throw new SigmaException(SigmaYaml.pos(file, n), "invalid timespan '" + t + "' (a number followed by s, m, "
                    + "h, d, w, M or y, e.g. 10m)");
        }
        if (millis == 0) {
            throw new SigmaException(SigmaYaml.pos(file, n), "timespan must be positive");
        }
        return millis;
    }
}
