package io.trailguard.rules.sigma;

import io.trailguard.rules.aggregate.AggregateInput;
import io.trailguard.rules.aggregate.AggregateSpec;
import io.trailguard.rules.aggregate.AggregateType;
import io.trailguard.rules.condition.Condition;
import io.trailguard.rules.engine.Rule;
import io.trailguard.rules.field.FieldRef;
import io.trailguard.rules.field.FieldTable;
import io.trailguard.rules.output.OutputFormat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Compiles a resolved correlation into a rate {@link Rule}: one aggregate input per target (a detection rule's
 * events, or a chained correlation's firings), group-by and value fields through the aliases, and a fingerprint
 * of everything that defines its counting.
 */
final class CorrelationCompiler {
    private final FieldTable fields;
    private final SigmaFilters filters;

    CorrelationCompiler(FieldTable fields, SigmaFilters filters) {
        this.fields = fields;
        this.filters = filters;
    }

    /** The field a group-by or value name stands for in the events of a referenced rule (aliases applied). */
    private static String fieldFor(CorrelationRule c, String name, SigmaUnit target) {
        Map<SigmaUnit, String> alias = c.aliases.get(name);
        if (alias != null && alias.containsKey(target)) {
            return alias.get(target);
        }
        return name;
    }

    /** The rate rule of a resolved correlation. */
    Rule compile(CorrelationRule c) {
        SigmaDocument d = c.doc;
        SigmaCorrelation s = c.section;
        List<AggregateInput> inputs = new ArrayList<>();
        List<Condition> conditions = new ArrayList<>();
        Set<String> eventNames = new HashSet<>();
        boolean unconstrained = false;
        for (SigmaUnit t : c.targets) {
            String step = s.type.isTemporal() ? c.stepKeys.get(t) : null;
            if (t instanceof DetectionRule) {
                DetectionRule b = (DetectionRule) t;
                List<FieldRef> group = new ArrayList<>();
                for (String g : s.groupBy) {
                    String path = fieldFor(c, g, t);
                    group.add(SigmaOutput.text(fields, path, path));
                }
                FieldRef value = null;
                if (s.type.needsField()) {
                    value = valueField(c, t);
                }
                Condition cond = b.node.condition();
                conditions.add(cond);
                inputs.add(AggregateInput.events(step, cond, group, value));
                Set<String> hint = b.node.eventNames();
                if (hint == null) {
                    unconstrained = true;
                } else {
                    eventNames.addAll(hint);
                }
            } else {
                CorrelationRule inner = (CorrelationRule) t;
                int[] index = new int[s.groupBy.size()];
                for (int i = 0; i < index.length; i++) {
                    String name = fieldFor(c, s.groupBy.get(i), t);
                    index[i] = inner.section.groupBy.indexOf(name);
                    if (index[i] < 0) {
                        throw new SigmaException(d.keyPosition("correlation"), "group-by '" + s.groupBy.get(i)
                                + "' is not carried by the chained correlation " + inner.doc.label()
                                + " (its group-by: " + inner.section.groupBy + "); an outer correlation can only group "
                                + "by the inner one's group-by fields");
                    }
                }
                int valueIndex = -1;
                if (s.type.needsField()) {
                    if (s.valueFields.size() != 1) {
                        throw new SigmaException(d.keyPosition("correlation"), "a chained " + s.type.text()
                                + " measures one group-by field of the inner correlation");
                    }
                    String name = fieldFor(c, s.valueFields.get(0), t);
                    valueIndex = inner.section.groupBy.indexOf(name);
                    if (valueIndex < 0) {
                        throw new SigmaException(d.keyPosition("correlation"), "field '" + s.valueFields.get(0)
                                + "' is not carried by the chained correlation " + inner.doc.label()
                                + " (its group-by: " + inner.section.groupBy + ")");
                    }
                }
                inputs.add(AggregateInput.chained(step, inner.ruleName, index, valueIndex));
            }
        }
        List<FieldRef> groupNames = new ArrayList<>();
        for (String g : s.groupBy) {
            groupNames.add(SigmaOutput.text(fields, g, g));
        }
        FieldRef valueName = null;
        if (s.type.needsField()) {
            valueName = s.valueFields.size() == 1 ? SigmaOutput.text(fields, s.valueFields.get(0), s.valueFields.get(0))
                    : tuple(s.valueFields, s.valueFields);
        }
        List<String> steps = new ArrayList<>();
        if (s.type.isTemporal()) {
            for (SigmaUnit t : c.steps) {
                steps.add(c.stepKeys.get(t));
            }
        }
        AggregateSpec spec = new AggregateSpec(s.type, groupNames, valueName, s.span, c.threshold, steps, inputs,
                c.alerts());
        if (s.type == AggregateType.VALUE_PERCENTILE) {
            spec = spec.withPercentile(s.percentile == null ? 50 : s.percentile);
        }
        Condition[] cs = conditions.toArray(new Condition[0]);
        Condition any = ctx -> {
            for (Condition x : cs) {
                if (x.test(ctx)) {
                    return true;
                }
            }
            return false;
        };
        OutputFormat output = SigmaOutput.correlation(fields, d, s.type, s.groupBy, s.valueFields);
        return new Rule(c.ruleName, d.ruleDescription(), any, output, d.priority(), d.sortedTags(),
                SigmaLoader.SOURCE, d.order, unconstrained ? null : eventNames, d.origin(), spec, fingerprint(c),
                SigmaOutput.eventFields(fields)).withGuidance(d.guidance())
                .withVersion(d.ruleVersion());
    }

    private FieldRef valueField(CorrelationRule c, SigmaUnit target) {
        List<String> paths = new ArrayList<>();
        for (String f : c.section.valueFields) {
            paths.add(fieldFor(c, f, target));
        }
        if (paths.size() == 1) {
            return SigmaOutput.text(fields, paths.get(0), paths.get(0));
        }
        return tuple(c.section.valueFields, paths);
    }

    private FieldRef tuple(List<String> names, List<String> paths) {
        return fields.ref(SigmaTupleField.canonicalName(paths) + "\u0001" + String.join("\u0000", names),
                () -> new SigmaTupleField(names, paths));
    }

    /** Digest of everything that defines a correlation's counting: its document and what it references. */
    private String fingerprint(CorrelationRule c) {
        StringBuilder sb = new StringBuilder();
        fingerprint(c, sb, 0);
        try {
            byte[] dg = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                hex.append(String.format(Locale.ROOT, "%02x", dg[i]));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void fingerprint(CorrelationRule c, StringBuilder sb, int depth) {
        sb.append("correlation ").append(c.ruleName).append(' ').append(c.alerts()).append('\n')
                .append(SigmaYaml.canonical(c.doc.node)).append('\n');
        if (depth > 50) {
            return;
        }
        for (SigmaUnit t : c.targets) {
            if (t instanceof CorrelationRule) {
                fingerprint((CorrelationRule) t, sb, depth + 1);
            } else {
                DetectionRule b = (DetectionRule) t;
                sb.append("rule ").append(SigmaYaml.canonical(b.doc.node)).append('\n').append(b.errata).append('\n');
                for (SigmaFilter f : filters.filtersFor(b.doc)) {
                    sb.append("filter ").append(SigmaYaml.canonical(f.doc.node)).append('\n');
                }
            }
        }
    }
}
